"""An aiosmtpd handler for the invoicing tests: the shared test server's Maildir, except that recipients at
rejected.invalid are refused for good (550) and recipients at deferred.invalid for now (450), as a real mail server
answers an unknown mailbox or a greylisted one. Run as: python3 -m aiosmtpd -n -l HOST:PORT -c rejecting_smtp.RejectingMailbox MAILDIR
"""
from aiosmtpd.handlers import Mailbox


class RejectingMailbox(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        domain = address.rpartition("@")[2].lower()
        if domain == "rejected.invalid":
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        if domain == "deferred.invalid":
            return f"450 4.2.1 <{address}>: mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"
