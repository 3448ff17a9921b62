using System.Net.Sockets;
using BacBos.Consumers.Invoicing.Delivery;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace BacBos.Behaviour.Tests.Invoicing;

/// <summary>
/// Which SMTP failures are permanent (recorded on the document, not retried): a 5xx reply to MAIL, RCPT or DATA. Every
/// other failure — 4xx replies, other commands' errors, protocol, I/O and socket failures, timeouts, authentication — is
/// transient: the delivery's message is retried and the sweeper picks the document up.
/// </summary>
public sealed class When_classifying_smtp_failures
{
    private static readonly MailboxAddress Recipient = MailboxAddress.Parse("x@example.com");

    [Theory]
    [InlineData(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, "5.1.1 <x@example.com>: mailbox unavailable", "550 5.1.1 <x@example.com>: mailbox unavailable")]
    [InlineData(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxNameNotAllowed, "5.1.3 bad address", "553 5.1.3 bad address")]
    [InlineData(SmtpErrorCode.SenderNotAccepted, SmtpStatusCode.MailboxUnavailable, "5.7.1 sender rejected", "550 5.7.1 sender rejected")]
    [InlineData(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.TransactionFailed, "5.7.1 message refused\nby policy", "554 5.7.1 message refused by policy")]
    [InlineData(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.ExceededStorageAllocation, "5.2.2 mailbox full", "552 5.2.2 mailbox full")]
    public void A_5xx_reply_to_mail_rcpt_or_data_should_be_permanent_with_its_reason(SmtpErrorCode code, SmtpStatusCode status, string reply, string reason)
    {
        Assert.Equal(reason, SmtpRejection.Permanent(new SmtpCommandException(code, status, Recipient, reply)));
    }

    [Theory]
    [InlineData(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxBusy)] // 450
    [InlineData(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.ServiceNotAvailable)] // 421
    [InlineData(SmtpErrorCode.SenderNotAccepted, SmtpStatusCode.InsufficientStorage)] // 452
    [InlineData(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.ErrorInProcessing)] // 451
    [InlineData(SmtpErrorCode.UnexpectedStatusCode, SmtpStatusCode.CommandUnrecognized)] // 500 to another command
    [InlineData(SmtpErrorCode.UnexpectedStatusCode, SmtpStatusCode.AuthenticationRequired)] // 530
    public void Another_reply_should_be_transient(SmtpErrorCode code, SmtpStatusCode status)
    {
        Assert.Null(SmtpRejection.Permanent(new SmtpCommandException(code, status, Recipient, "try later")));
    }

    public static TheoryData<Exception> TransientFailures() =>
    [
        new SmtpProtocolException("The SMTP server has unexpectedly disconnected."),
        new IOException("connection reset"),
        new SocketException((int)SocketError.ConnectionRefused),
        new TimeoutException(),
        new OperationCanceledException(),
        new MailKit.Security.AuthenticationException("535 5.7.8 bad credentials"),
        new System.Security.Authentication.AuthenticationException("TLS handshake failed"),
        new SslHandshakeException("certificate not trusted"),
        new InvalidOperationException("the stored PDF is missing"),
    ];

    [Theory]
    [MemberData(nameof(TransientFailures))]
    public void A_failure_without_a_reply_should_be_transient(Exception failure)
    {
        Assert.Null(SmtpRejection.Permanent(failure));
    }

    [Fact]
    public void A_long_reply_should_be_cut_to_the_recorded_length()
    {
        var reason = SmtpRejection.Permanent(new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, Recipient, new string('x', 2000)));

        Assert.Equal(SmtpRejection.MaxReasonLength, reason!.Length);
        Assert.StartsWith("550 xxx", reason, StringComparison.Ordinal);
    }
}
