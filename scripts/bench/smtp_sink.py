"""An SMTP sink for the newsletter send test: accepts every message and appends one line per
recipient to a file, so the test can count who got how many.

    python -m aiosmtpd -n -l 127.0.0.1:PORT -c scripts.bench.smtp_sink.Recorder FILE
"""


class Recorder:
    def __init__(self, path):
        self.file = open(path, "a", buffering=1)  # noqa: SIM115 - open as long as the sink runs

    @classmethod
    def from_cli(cls, parser, *args):
        # How aiosmtpd's command line hands its arguments to a handler.
        if len(args) != 1:
            parser.error("smtp_sink.Recorder takes the file to write to")
        return cls(args[0])

    async def handle_DATA(self, server, session, envelope):
        for recipient in envelope.rcpt_tos:
            self.file.write(recipient.lower() + "\n")
        return "250 OK"
