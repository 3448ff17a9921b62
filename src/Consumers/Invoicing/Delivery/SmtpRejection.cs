using MailKit.Net.Smtp;

namespace BacBos.Consumers.Invoicing.Delivery;

/// <summary>
/// Tells an SMTP server's permanent rejection of the sender, the recipient or the message (a 5xx reply to MAIL, RCPT or
/// DATA: trying again sends the same thing to the same answer) from everything that may pass: 4xx replies, connection,
/// protocol and TLS failures, timeouts, authentication problems (the server's or our configuration's, fixed there).
/// </summary>
public static class SmtpRejection
{
    /// <summary>The longest reason recorded (a server's reply may run over several lines).</summary>
    public const int MaxReasonLength = 500;

    /// <summary>The permanent rejection's reason (<c>550 5.1.1 &lt;x@y&gt;: mailbox unavailable</c>), or null when <paramref name="exception"/> is transient.</summary>
    public static string? Permanent(Exception exception)
    {
        if (exception is not SmtpCommandException
            {
                ErrorCode: SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.SenderNotAccepted or SmtpErrorCode.MessageNotAccepted,
                StatusCode: var status,
            } rejection || (int)status is < 500 or > 599)
        {
            return null;
        }

        var reason = $"{(int)status} {string.Join(' ', rejection.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))}".TrimEnd();
        return reason.Length <= MaxReasonLength ? reason : reason[..MaxReasonLength];
    }
}
