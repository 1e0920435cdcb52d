from django import template

register = template.Library()


@register.inclusion_tag("includes/picture.html")
def picture(image, alt="", decorative=False, sizes="100vw", classes=""):
    """A <picture> of an uploaded image's renditions: WebP where the browser takes it, JPEG
    otherwise, at the width the layout needs.

    ``{% picture section.image alt=section.image_alt decorative=section.image_decorative
    sizes="(min-width: 641px) 640px, 100vw" %}``
    """
    context = {"image": image, "alt": "" if decorative else alt, "sizes": sizes}
    context["classes"] = classes
    if not image or not getattr(image, "stored_width", None):
        # Stored before renditions existed: the original is all there is.
        return context
    webp = image.renditions("webp")
    jpeg = image.renditions("jpg")
    largest_url, largest_width = jpeg[-1]
    context.update(
        webp_srcset=", ".join(f"{url} {width}w" for url, width in webp),
        jpeg_srcset=", ".join(f"{url} {width}w" for url, width in jpeg),
        src=largest_url,
        width=largest_width,
        height=max(1, round(image.stored_height * largest_width / image.stored_width)),
    )
    return context
