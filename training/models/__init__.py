"""The training app's models, a module for each part of the training loop: the offer people read,
the requests professionals send, the sessions the team delivers, and attendees' feedback."""

from .content import CommunityProject, Event, Testimonial, Workshop
from .feedback import MOMENTS, STATEMENTS, Confidence, Feedback
from .requests import TrainingRequest
from .sessions import Attendance, Session, new_feedback_code

__all__ = [
    "MOMENTS",
    "STATEMENTS",
    "Attendance",
    "CommunityProject",
    "Confidence",
    "Event",
    "Feedback",
    "Session",
    "Testimonial",
    "TrainingRequest",
    "Workshop",
    "new_feedback_code",
]
