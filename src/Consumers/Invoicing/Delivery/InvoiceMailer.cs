using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace BacBos.Consumers.Invoicing.Delivery;

/// <summary>A message to send: recipient, subject, plain-text body and one PDF attachment; <see cref="MessageId"/> is stable per document revision.</summary>
public sealed record InvoiceEmail(string FromName, string To, string? ToName, string Subject, string Body, string AttachmentName, byte[] Attachment, string MessageId);

/// <summary>Sends invoice emails through SMTP with MailKit (<c>Invoicing:Smtp</c>).</summary>
public sealed class InvoiceMailer(InvoicingOptions options)
{
    /// <summary>Why nothing is sent, or null when SMTP is configured.</summary>
    public string? NotConfigured => string.IsNullOrWhiteSpace(options.Smtp.Host) ? "skipped: SMTP is not configured (set Invoicing:Smtp:Host)" : null;

    public async Task SendAsync(InvoiceEmail email, CancellationToken cancellationToken)
    {
        var smtp = options.Smtp;
        var message = new MimeMessage { Subject = email.Subject, MessageId = email.MessageId };
        message.From.Add(new MailboxAddress(email.FromName, smtp.From));
        message.To.Add(new MailboxAddress(email.ToName ?? string.Empty, email.To));
        var body = new BodyBuilder { TextBody = email.Body };
        body.Attachments.Add(email.AttachmentName, email.Attachment, new ContentType("application", "pdf"));
        message.Body = body.ToMessageBody();

        using var client = new SmtpClient { Timeout = smtp.TimeoutSeconds * 1000 };
        var security = Enum.TryParse<SecureSocketOptions>(smtp.Security, ignoreCase: true, out var parsed) ? parsed : SecureSocketOptions.Auto;
        await client.ConnectAsync(smtp.Host!, smtp.Port, security, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.UserName))
        {
            await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? string.Empty, cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}
