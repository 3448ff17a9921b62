using System.Security.Claims;
using BacBos.Consumers.Crm;
using BacBos.Consumers.Crm.Contacts;
using BacBos.Consumers.Crm.Domain;
using BacBos.Consumers.Crm.Leads;
using BacBos.Consumers.Crm.Opportunities;
using BacBos.Consumers.Crm.Storage;
using BacBos.Gateway.Http;

namespace BacBos.Gateway.Crm;

/// <summary>
/// The CRM API, called with a tenant's API key: leads (create, list, read, status changes, conversion), contacts
/// (create, list, read) and opportunities (create, list with pipeline totals, read, change, close). Every id is looked up
/// in the caller's own tenant storage only, so another tenant's id is simply not found (404), never its data.
/// </summary>
public static class CrmEndpoints
{
    private const string PriorityRank = "CASE priority WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 WHEN 'urgent' THEN 4 ELSE 0 END";

    public static readonly ListSpec Leads = new(
        "/api/v1/leads",
        new Dictionary<string, string> { ["created_at"] = "created_at", ["updated_at"] = "updated_at", ["name"] = "name", ["status"] = "status", ["priority"] = PriorityRank },
        "-created_at",
        new Dictionary<string, ListFilter>
        {
            ["status"] = ListFilter.OneOf("status", LeadStatus.All),
            ["priority"] = ListFilter.OneOf("priority", LeadPriority.All),
            ["source"] = ListFilter.OneOf("source", LeadSource.All),
            ["channel"] = ListFilter.Exact("channel", lowerCase: true),
        });

    public static readonly ListSpec Contacts = new(
        "/api/v1/contacts",
        new Dictionary<string, string> { ["created_at"] = "created_at", ["updated_at"] = "updated_at", ["name"] = "name" },
        "-created_at",
        new Dictionary<string, ListFilter>
        {
            ["email"] = ListFilter.Exact("email", lowerCase: true),
            ["company"] = ListFilter.Exact("company"),
            ["lead_id"] = ListFilter.Uuid("lead_id"),
        });

    public static readonly ListSpec Opportunities = new(
        "/api/v1/opportunities",
        new Dictionary<string, string>
        {
            ["created_at"] = "created_at",
            ["updated_at"] = "updated_at",
            ["amount"] = "amount_tenant_minor",
            ["probability"] = "probability",
            ["close_date"] = "close_date",
            ["name"] = "name",
        },
        "-created_at",
        new Dictionary<string, ListFilter>
        {
            ["stage"] = new("stage", v => (v.ToLowerInvariant(), null)),
            ["currency"] = ListFilter.Currency("currency"),
            ["contact_id"] = ListFilter.Uuid("contact_id"),
            ["lead_id"] = ListFilter.Uuid("lead_id"),
        });

    public static IEndpointRouteBuilder MapCrmEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").TenantApi();

        var leads = api.MapGroup("/leads").WithTags("CRM: leads");
        leads.MapPost("/", CreateLead).WithName("CreateLead").WithSummary("Create a lead (status new); Idempotency-Key makes retries safe")
            .WithJsonBody<CreateLeadRequest>().Produces<LeadResponse>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        leads.MapGet("/", ListLeads).WithName("ListLeads").WithSummary("Leads, filtered by status, priority, source or channel; paged and sorted")
            .Produces<PageResponse<LeadResponse>>().ProducesValidationProblem();
        leads.MapGet("/{id:guid}", GetLead).WithName("GetLead").WithSummary("One lead").Produces<LeadResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        leads.MapPatch("/{id:guid}", PatchLead).WithName("UpdateLead").WithSummary("Move a lead through its lifecycle (new → contacted → qualified; disqualified), change priority or notes")
            .WithJsonBody<PatchLeadRequest>().Produces<LeadResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        leads.MapPost("/{id:guid}/convert", ConvertLead).WithName("ConvertLead").WithSummary("Convert a qualified lead into a contact and an opportunity")
            .WithJsonBody<ConvertLeadRequest>().Produces<ConversionResponse>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        var contacts = api.MapGroup("/contacts").WithTags("CRM: contacts");
        contacts.MapPost("/", CreateContact).WithName("CreateContact").WithSummary("Create a contact")
            .WithJsonBody<CreateContactRequest>().Produces<ContactResponse>(StatusCodes.Status201Created).ProducesValidationProblem();
        contacts.MapGet("/", ListContacts).WithName("ListContacts").WithSummary("Contacts, filtered by email, company or lead; paged and sorted")
            .Produces<PageResponse<ContactResponse>>().ProducesValidationProblem();
        contacts.MapGet("/{id:guid}", GetContact).WithName("GetContact").WithSummary("One contact").Produces<ContactResponse>().ProducesProblem(StatusCodes.Status404NotFound);

        var opportunities = api.MapGroup("/opportunities").WithTags("CRM: opportunities");
        opportunities.MapPost("/", CreateOpportunity).WithName("CreateOpportunity").WithSummary("Create an opportunity for a contact or lead (a qualified lead is converted); Idempotency-Key makes retries safe")
            .WithJsonBody<CreateOpportunityRequest>().Produces<OpportunityResponse>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        opportunities.MapGet("/", ListOpportunities).WithName("ListOpportunities").WithSummary("Opportunities with pipeline totals per stage in the tenant's currency; filtered, paged and sorted")
            .Produces<OpportunityPageResponse>().ProducesValidationProblem();
        opportunities.MapGet("/{id:guid}", GetOpportunity).WithName("GetOpportunity").WithSummary("One opportunity with its stage history and invoice draft")
            .Produces<OpportunityResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        opportunities.MapPatch("/{id:guid}", PatchOpportunity).WithName("UpdateOpportunity").WithSummary("Change stage, amount, probability (manual override), close date or name")
            .WithJsonBody<PatchOpportunityRequest>().Produces<OpportunityResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        opportunities.MapPost("/{id:guid}/close", CloseOpportunity).WithName("CloseOpportunity").WithSummary("Close as won (100 %, asks finance for an invoice draft) or lost (0 %)")
            .WithJsonBody<CloseOpportunityRequest>().Produces<OpportunityResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<IResult> CreateLead(HttpContext http, ClaimsPrincipal user, LeadService leads, CancellationToken cancellationToken)
    {
        var (key, keyProblem) = CrmHttp.IdempotencyKey(http.Request);
        return keyProblem ?? await WithBodyAsync<CreateLeadRequest, LeadDraft>(http.Request, CrmValidation.Lead, async draft =>
        {
            var (tenantId, actor) = CrmHttp.Caller(user);
            var result = await leads.CreateAsync(tenantId, draft, actor, key, cancellationToken);
            return result.Value is { } lead ? CrmHttp.Created(http, result.Status, $"/api/v1/leads/{lead.Id:D}", LeadResponse.From(lead)) : CrmHttp.Problem(result);
        }, cancellationToken);
    }

    private static Task<IResult> ListLeads(HttpRequest request, ClaimsPrincipal user, LeadService leads, CrmOptions options, CancellationToken cancellationToken) =>
        ListAsync(request, Leads, options, async (query, sortSql) =>
        {
            var result = await leads.ListAsync(CrmHttp.Caller(user).TenantId, query, sortSql, cancellationToken);
            return CrmHttp.Ok(result, page => Page(request, Leads, query, page, LeadResponse.From));
        });

    private static async Task<IResult> GetLead(Guid id, ClaimsPrincipal user, LeadService leads, CancellationToken cancellationToken) =>
        CrmHttp.Ok(await leads.GetAsync(CrmHttp.Caller(user).TenantId, id, cancellationToken), LeadResponse.From);

    private static Task<IResult> PatchLead(Guid id, HttpRequest request, ClaimsPrincipal user, LeadService leads, CancellationToken cancellationToken) =>
        WithBodyAsync<PatchLeadRequest, LeadPatch>(request, CrmValidation.LeadPatch, async patch =>
        {
            var (tenantId, actor) = CrmHttp.Caller(user);
            return CrmHttp.Ok(await leads.PatchAsync(tenantId, id, patch, actor, cancellationToken), LeadResponse.From);
        }, cancellationToken);

    private static Task<IResult> ConvertLead(Guid id, HttpContext http, ClaimsPrincipal user, LeadService leads, CancellationToken cancellationToken) =>
        WithBodyAsync<ConvertLeadRequest, LeadConversionRequest>(http.Request, CrmValidation.Conversion, async request =>
        {
            var (tenantId, actor) = CrmHttp.Caller(user);
            var result = await leads.ConvertAsync(tenantId, id, request, actor, cancellationToken);
            return result.Value is { } done
                ? CrmHttp.Created(
                    http,
                    result.Status,
                    $"/api/v1/opportunities/{done.Opportunity.Opportunity.Id:D}",
                    new ConversionResponse(LeadResponse.From(done.Lead), ContactResponse.From(done.Contact), OpportunityResponse.From(done.Opportunity)))
                : CrmHttp.Problem(result);
        }, cancellationToken);

    private static Task<IResult> CreateContact(HttpContext http, ClaimsPrincipal user, ContactService contacts, CancellationToken cancellationToken) =>
        WithBodyAsync<CreateContactRequest, ContactDraft>(http.Request, CrmValidation.Contact, async draft =>
        {
            var (tenantId, actor) = CrmHttp.Caller(user);
            var result = await contacts.CreateAsync(tenantId, draft, actor, cancellationToken);
            return result.Value is { } contact ? CrmHttp.Created(http, result.Status, $"/api/v1/contacts/{contact.Id:D}", ContactResponse.From(contact)) : CrmHttp.Problem(result);
        }, cancellationToken);

    private static Task<IResult> ListContacts(HttpRequest request, ClaimsPrincipal user, ContactService contacts, CrmOptions options, CancellationToken cancellationToken) =>
        ListAsync(request, Contacts, options, async (query, sortSql) =>
        {
            var result = await contacts.ListAsync(CrmHttp.Caller(user).TenantId, query, sortSql, cancellationToken);
            return CrmHttp.Ok(result, page => Page(request, Contacts, query, page, ContactResponse.From));
        });

    private static async Task<IResult> GetContact(Guid id, ClaimsPrincipal user, ContactService contacts, CancellationToken cancellationToken) =>
        CrmHttp.Ok(await contacts.GetAsync(CrmHttp.Caller(user).TenantId, id, cancellationToken), ContactResponse.From);

    private static async Task<IResult> CreateOpportunity(HttpContext http, ClaimsPrincipal user, OpportunityService opportunities, CancellationToken cancellationToken)
    {
        var (key, keyProblem) = CrmHttp.IdempotencyKey(http.Request);
        return keyProblem ?? await WithBodyAsync<CreateOpportunityRequest, OpportunityDraft>(http.Request, CrmValidation.Opportunity, async draft =>
        {
            var (tenantId, actor) = CrmHttp.Caller(user);
            var result = await opportunities.CreateAsync(tenantId, draft, actor, key, cancellationToken);
            return result.Value is { } details
                ? CrmHttp.Created(http, result.Status, $"/api/v1/opportunities/{details.Opportunity.Id:D}", OpportunityResponse.From(details))
                : CrmHttp.Problem(result);
        }, cancellationToken);
    }

    private static Task<IResult> ListOpportunities(HttpRequest request, ClaimsPrincipal user, OpportunityService opportunities, CrmOptions options, CancellationToken cancellationToken) =>
        ListAsync(request, Opportunities, options, async (query, sortSql) =>
        {
            var result = await opportunities.ListAsync(CrmHttp.Caller(user).TenantId, query, sortSql, cancellationToken);
            return CrmHttp.Ok(result, found =>
            {
                var (page, pipeline, totals) = found;
                var items = Page(request, Opportunities, query, page, o => OpportunityResponse.From(o, pipeline.Find(o.Stage) is null ? [] : OpportunityLifecycle.AllowedFrom(pipeline, o.Stage)));
                return new OpportunityPageResponse(items.Items, items.Page, items.PageSize, items.Total, items.Next, PipelineResponse.From(totals));
            });
        });

    private static async Task<IResult> GetOpportunity(Guid id, ClaimsPrincipal user, OpportunityService opportunities, CancellationToken cancellationToken) =>
        CrmHttp.Ok(await opportunities.GetAsync(CrmHttp.Caller(user).TenantId, id, cancellationToken), OpportunityResponse.From);

    private static Task<IResult> PatchOpportunity(Guid id, HttpRequest request, ClaimsPrincipal user, OpportunityService opportunities, CancellationToken cancellationToken) =>
        WithBodyAsync<PatchOpportunityRequest, OpportunityPatch>(request, CrmValidation.OpportunityPatch, async patch =>
        {
            var (tenantId, actor) = CrmHttp.Caller(user);
            return CrmHttp.Ok(await opportunities.PatchAsync(tenantId, id, patch, actor, cancellationToken), OpportunityResponse.From);
        }, cancellationToken);

    private static Task<IResult> CloseOpportunity(Guid id, HttpRequest request, ClaimsPrincipal user, OpportunityService opportunities, CancellationToken cancellationToken) =>
        WithBodyAsync<CloseOpportunityRequest, CrmValidation.Closing>(request, CrmValidation.Close, async closing =>
        {
            var (tenantId, actor) = CrmHttp.Caller(user);
            return CrmHttp.Ok(await opportunities.CloseAsync(tenantId, id, closing.Won, closing.Reason, actor, cancellationToken), OpportunityResponse.From);
        }, cancellationToken);

    /// <summary>Reads and validates a JSON body (each failure its precise problem), then acts on the valid input.</summary>
    private static async Task<IResult> WithBodyAsync<TBody, TInput>(
        HttpRequest request,
        Func<TBody, (TInput? Input, IReadOnlyDictionary<string, string[]> Errors)> validate,
        Func<TInput, Task<IResult>> act,
        CancellationToken cancellationToken)
        where TBody : class
        where TInput : class
    {
        var body = await JsonBody.ReadAsync<TBody>(request, CrmHttp.MaxBodyBytes, cancellationToken);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var (input, errors) = validate(body.Value!);
        return input is null ? CrmHttp.Validation(errors) : await act(input);
    }

    /// <summary>Parses paging, sorting and filters (400 naming each bad parameter), then lists.</summary>
    internal static async Task<IResult> ListAsync(HttpRequest request, ListSpec spec, CrmOptions options, Func<ListQuery, string, Task<IResult>> list)
    {
        var (query, sortSql, errors) = ListParameters.Parse(request, spec, options);
        return query is null ? CrmHttp.Validation(errors) : await list(query, sortSql);
    }

    internal static PageResponse<TResponse> Page<TRow, TResponse>(HttpRequest request, ListSpec spec, ListQuery query, Page<TRow> page, Func<TRow, TResponse> map) =>
        new(page.Items.Select(map).ToList(), query.Page, query.PageSize, page.Total, ListParameters.Next(request, spec, query, page.Items.Count, page.Total));
}
