"""The training app's public forms: the training request and the feedback on a session."""

from .feedback import FeedbackForm
from .requests import TrainingRequestForm

__all__ = ["FeedbackForm", "TrainingRequestForm"]
