"""Dates and times in GOV.UK style: "Tuesday 25 July 2023", "6pm", "10:30am", "midday"."""

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def uk_time(value):
    if not value:
        return ""
    value = timezone.localtime(value) if timezone.is_aware(value) else value
    if (value.hour, value.minute) == (12, 0):
        return "midday"
    if (value.hour, value.minute) == (0, 0):
        return "midnight"
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{'am' if value.hour < 12 else 'pm'}"
