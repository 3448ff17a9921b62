using BacBos.Contracts.Activation;

namespace BacBos.Consumers.Activation.Reference;

/// <summary>Builds the 9-step onboarding guide returned with the activation result (seed §1.2 step 11).</summary>
public static class OnboardingGuide
{
    /// <summary>
    /// The nine next steps, ordered 1..9, with links built from the tenant's web console and API base URLs
    /// (a trailing slash on either is ignored). Step 8 is the storefront set-up when the storefront module is
    /// enabled and the CRM pipeline set-up otherwise.
    /// </summary>
    public static IReadOnlyList<OnboardingStep> Build(string webConsoleUrl, string apiUrl, IReadOnlyCollection<string> modules)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(webConsoleUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(apiUrl);
        ArgumentNullException.ThrowIfNull(modules);

        var console = webConsoleUrl.Trim().TrimEnd('/');
        var api = apiUrl.Trim().TrimEnd('/');
        var hasStorefront = modules.Contains(Modules.Storefront, StringComparer.OrdinalIgnoreCase);
        var hasCopilot = modules.Contains(Modules.AiCopilot, StringComparer.OrdinalIgnoreCase);

        var step8 = hasStorefront
            ? new OnboardingStep(8, "Set up your storefront",
                "Choose a theme, add your logo and publish your first products so customers can buy online.",
                $"{console}/storefront/setup")
            : new OnboardingStep(8, "Set up your CRM pipeline",
                "Review the pipeline stages (prospect, qualification, proposal, negotiation, closed) and their win probabilities, then add your first opportunities.",
                $"{console}/crm/pipeline");

        var step9 = hasCopilot
            ? new OnboardingStep(9, "Try the AI copilot",
                "Ask the copilot to summarise your pipeline, draft a follow-up email or explain an invoice.",
                $"{console}/copilot")
            : new OnboardingStep(9, "Enable and try the AI copilot",
                "The ai_copilot module is not enabled yet. Turn it on in your module settings, then ask it to summarise your pipeline or draft a follow-up email.",
                $"{console}/settings/modules");

        return Array.AsReadOnly<OnboardingStep>(
        [
            new(1, "Sign in and change your temporary password",
                "Sign in to the web console with the admin username and the temporary password shown once in the activation result, then set a new password and turn on two-factor authentication.",
                $"{console}/login"),
            new(2, "Store your API key safely",
                $"The API key is shown only once. Keep it in a secret manager and send it with every request to {api}; rotate it from the console if it leaks.",
                $"{console}/settings/api-keys"),
            new(3, "Verify your domain's DNS records",
                "Add the DNS records (A/CNAME, MX, SPF, DKIM and DMARC TXT) listed in the console at your DNS provider and wait until they show as verified.",
                $"{console}/settings/domains"),
            new(4, "Connect your payment providers",
                "Enter the live credentials of each payment provider you selected and confirm that its webhook reaches the platform.",
                $"{console}/settings/payments"),
            new(5, "Invite your team",
                "Invite colleagues by email and give each of them the role they need.",
                $"{console}/settings/team"),
            new(6, "Import your customers and leads",
                $"Upload a CSV file in the console, or create the records through the API at {api}.",
                $"{console}/crm/import"),
            new(7, "Configure tax and invoice settings",
                "Check the seeded tax rates for your region, your invoice numbering, payment terms and the company details printed on invoices.",
                $"{console}/finance/settings"),
            step8,
            step9,
        ]);
    }
}
