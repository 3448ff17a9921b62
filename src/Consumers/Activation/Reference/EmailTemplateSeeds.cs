using System.Text;

namespace BacBos.Consumers.Activation.Reference;

/// <summary>
/// The default email templates seeded for every tenant (seed §1.2 step 8). Placeholders are written
/// <c>{{name}}</c> and filled by <see cref="Render"/>.
/// </summary>
public static class EmailTemplateSeeds
{
    /// <summary>The default templates.</summary>
    public static IReadOnlyList<EmailTemplateSeed> Default { get; } = Array.AsReadOnly<EmailTemplateSeed>(
    [
        new(
            "welcome",
            "Welcome to {{business_name}}",
            "Hello {{customer_name}},\n\nWelcome to {{business_name}}. Your account is ready: sign in at {{login_url}}.\n\nIf you have questions, reply to this email or write to {{support_email}}.\n\nThe {{business_name}} team"),
        new(
            "invoice",
            "Invoice {{invoice_number}} from {{business_name}}",
            "Hello {{customer_name}},\n\nPlease find invoice {{invoice_number}} for {{amount}} {{currency}}, due on {{due_date}}.\n\nView and pay it online: {{invoice_url}}\n\nThank you for your business,\n{{business_name}}"),
        new(
            "payment_receipt",
            "Receipt for your payment to {{business_name}}",
            "Hello {{customer_name}},\n\nWe received your payment of {{amount}} {{currency}} on {{payment_date}} (reference {{payment_reference}}) for invoice {{invoice_number}}.\n\nThank you,\n{{business_name}}"),
        new(
            "payment_failed",
            "Your payment to {{business_name}} did not go through",
            "Hello {{customer_name}},\n\nYour payment of {{amount}} {{currency}} for invoice {{invoice_number}} failed: {{failure_reason}}.\n\nYou can try again here: {{payment_url}}\n\n{{business_name}}"),
        new(
            "password_reset",
            "Reset your {{business_name}} password",
            "Hello {{customer_name}},\n\nSomeone asked to reset the password of your {{business_name}} account. If it was you, open this link within {{expires_in_minutes}} minutes:\n{{reset_url}}\n\nIf it was not you, ignore this email; your password stays unchanged.\n\n{{business_name}}"),
        new(
            "lead_follow_up",
            "Following up from {{business_name}}",
            "Hello {{lead_name}},\n\nThank you for your interest in {{business_name}}. I would be glad to answer your questions or arrange a short call.\n\nBest regards,\n{{sender_name}}\n{{business_name}}"),
        new(
            "document_shared",
            "{{sender_name}} shared \"{{document_name}}\" with you",
            "Hello {{recipient_name}},\n\n{{sender_name}} from {{business_name}} shared the document \"{{document_name}}\" with you.\n\nOpen it here: {{document_url}}\n\n{{business_name}}"),
    ]);

    /// <summary>
    /// Replaces every <c>{{name}}</c> (whitespace inside the braces allowed) whose name is a key of
    /// <paramref name="values"/> with its value; unknown placeholders are left exactly as written.
    /// Values are inserted verbatim and never expanded again.
    /// </summary>
    public static string Render(string template, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);

        var output = new StringBuilder(template.Length);
        var position = 0;
        while (position < template.Length)
        {
            var open = template.IndexOf("{{", position, StringComparison.Ordinal);
            if (open < 0)
            {
                break;
            }

            var close = template.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                break;
            }

            output.Append(template, position, open - position);
            var key = template.Substring(open + 2, close - open - 2).Trim();
            if (key.Length > 0 && values.TryGetValue(key, out var value))
            {
                output.Append(value);
                position = close + 2;
            }
            else
            {
                // Keep "{{" and rescan from just after it so "{{ {{name}}" still renders the inner placeholder.
                output.Append("{{");
                position = open + 2;
            }
        }

        output.Append(template, position, template.Length - position);
        return output.ToString();
    }
}
