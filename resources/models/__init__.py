"""The resources app's models: topics and audiences, the team and contacts, resource links and
funding schemes, and the ways to get help."""

from .help_routes import HelpRoute
from .links import FundingScheme, ResourceLink
from .people import Contact, TeamMember
from .topics import Audience, Topic

__all__ = [
    "Audience",
    "Contact",
    "FundingScheme",
    "HelpRoute",
    "ResourceLink",
    "TeamMember",
    "Topic",
]
