"""The site's own pages that the search finds: its services (get help, report, request training,
sign up) and the lists and statutory pages. Their text is the words people use when they look
for them, which the pages themselves may not say.

The ways to get help, topics and audiences are indexed as items of their own (search.index).
"""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Page:
    url_name: str
    title: str
    words: str

    def search_document(self):
        return {"title": self.title, "text": [self.words]}

    def get_absolute_url(self):
        return reverse(self.url_name)


# In a fixed order: an entry's object_id is its place in the list.
PAGES = [
    Page(
        "resources:help-route-list",
        "Worried about someone?",
        "Get help if you are worried or have a concern about someone you know, a child, son, "
        "daughter, family member, friend, pupil, student or neighbour being radicalised or "
        "drawn into extremism or terrorism. Who to call, phone numbers, advice and support, "
        "ACT Early support line, make a Prevent referral, safeguarding, what to do.",
    ),
    Page(
        "reports:report",
        "Report extremist leaflets, stickers or graffiti",
        "Report extremist, racist or hateful stickers, leaflets, flyers, posters or graffiti "
        "seen in the street in Westminster. Tell us where you saw it and send a photo; we "
        "arrange removal and pass it to the police. Report hate material.",
    ),
    Page(
        "training:request",
        "Request training",
        "Request or book a free training session or workshop for your school, college, "
        "organisation or staff team. Ask the Prevent team to deliver training, in person or "
        "online. Booking form.",
    ),
    Page(
        "newsletters:subscribe",
        "Sign up for the newsletter",
        "Subscribe to the Prevent newsletter: get email updates and alerts when a new issue "
        "is published. Join the mailing list, sign up, choose your topics.",
    ),
    Page(
        "training:workshop-list",
        "Training and workshops",
        "All the free training courses and workshops the Prevent team offers to professionals, "
        "teachers, schools, parents and community groups.",
    ),
    Page(
        "training:event-list",
        "Events",
        "Upcoming events, webinars and conferences, and past events.",
    ),
    Page(
        "resources:scheme-list",
        "Funding schemes",
        "Funding, grants and money your organisation can apply for.",
    ),
    Page(
        "resources:team",
        "Your local Prevent team",
        "Meet the team: who we are, staff, people, Prevent officers and coordinators, contact us.",
    ),
    Page(
        "resources:contact-list",
        "Useful contacts",
        "Contact details of services: phone numbers and email addresses.",
    ),
    Page(
        "search:topic-list",
        "Topics",
        "Browse by subject or topic.",
    ),
    Page(
        "accessibility",
        "Accessibility statement",
        "How accessible this website is, screen readers, problems with the site, and how to "
        "ask for another format.",
    ),
    Page(
        "privacy",
        "Privacy notice",
        "How we use your personal data and information, data protection, GDPR, how long we keep "
        "it, your rights.",
    ),
    Page(
        "cookies",
        "Cookies",
        "The cookies this site uses: essential only, no tracking.",
    ),
    Page(
        "staying-safe-online",
        "Staying safe online",
        "Cover your tracks: stop someone finding out you looked at this website. Delete or "
        "clear your browsing history, use private browsing or incognito mode (InPrivate), hide "
        "what you visited, the Exit this page button and what it does. If someone checks or "
        "is checking your phone, or you are using a shared phone, computer or device, or "
        "someone else's. Keep safe online, privacy, delete emails and calls.",
    ),
    Page(
        "training:project-list",
        "Community projects",
        "Projects run by local community groups, charities and organisations in Westminster, "
        "in your area or neighbourhood, with the Prevent team's support or funding: what they "
        "did and what came of it.",
    ),
]
