using System.Data;
using System.Security.Claims;
using BacBos.Consumers.Crm;
using BacBos.Consumers.Crm.Contacts;
using BacBos.Consumers.Crm.Domain;
using BacBos.Consumers.Crm.Leads;
using BacBos.Consumers.Crm.Opportunities;
using BacBos.Consumers.Crm.Storage;
using BacBos.Gateway.Auth;
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
        var api = app.MapGroup("/api/v1")
            .RequireAuthorization(ApiKeyAuthenticationHandler.TenantRole)
            .AddEndpointFilter(async (context, next) =>
            {
                try
                {
                    return await next(context);
                }
                catch (DBConcurrencyException ex)
                {
                    return CrmHttp.ConcurrentChange(ex.Message);
                }
            })
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

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
        var body = await JsonBody.ReadAsync<CreateLeadRequest>(http.Request, CrmHttp.MaxBodyBytes, cancellationToken);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var (draft, errors) = CrmValidation.Lead(body.Value!);
        var (key, keyProblem) = CrmHttp.IdempotencyKey(http.Request);
        if (errors.Count > 0 || keyProblem is not null)
        {
            return keyProblem ?? CrmHttp.Validation(errors);
        }

        var (tenantId, actor) = CrmHttp.Caller(user);
        var result = await leads.CreateAsync(tenantId, draft!, actor, key, cancellationToken);
        return result.Value is { } lead ? CrmHttp.Created(http, result.Status, $"/api/v1/leads/{lead.Id:D}", LeadResponse.From(lead)) : CrmHttp.Problem(result);
    }

    private static async Task<IResult> ListLeads(HttpRequest request, ClaimsPrincipal user, LeadService leads, CrmOptions options, CancellationToken cancellationToken)
    {
        var (query, sortSql, errors) = ListParameters.Parse(request, Leads, options);
        if (query is null)
        {
            return CrmHttp.Validation(errors);
        }

        var result = await leads.ListAsync(CrmHttp.Caller(user).TenantId, query, sortSql, cancellationToken);
        return result.Value is { } page
            ? TypedResults.Ok(new PageResponse<LeadResponse>(page.Items.Select(LeadResponse.From).ToList(), query.Page, query.PageSize, page.Total, ListParameters.Next(request, Leads, query, page.Items.Count, page.Total)))
            : CrmHttp.Problem(result);
    }

    private static async Task<IResult> GetLead(Guid id, ClaimsPrincipal user, LeadService leads, CancellationToken cancellationToken)
    {
        var result = await leads.GetAsync(CrmHttp.Caller(user).TenantId, id, cancellationToken);
        return result.Value is { } lead ? TypedResults.Ok(LeadResponse.From(lead)) : CrmHttp.Problem(result);
    }

    private static async Task<IResult> PatchLead(Guid id, HttpRequest request, ClaimsPrincipal user, LeadService leads, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<PatchLeadRequest>(request, CrmHttp.MaxBodyBytes, cancellationToken);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var (patch, errors) = CrmValidation.LeadPatch(body.Value!);
        if (patch is null)
        {
            return CrmHttp.Validation(errors);
        }

        var (tenantId, actor) = CrmHttp.Caller(user);
        var result = await leads.PatchAsync(tenantId, id, patch, actor, cancellationToken);
        return result.Value is { } lead ? TypedResults.Ok(LeadResponse.From(lead)) : CrmHttp.Problem(result);
    }

    private static async Task<IResult> ConvertLead(Guid id, HttpContext http, ClaimsPrincipal user, LeadService leads, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<ConvertLeadRequest>(http.Request, CrmHttp.MaxBodyBytes, cancellationToken);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var (request, errors) = CrmValidation.Conversion(body.Value!);
        if (request is null)
        {
            return CrmHttp.Validation(errors);
        }

        var (tenantId, actor) = CrmHttp.Caller(user);
        var result = await leads.ConvertAsync(tenantId, id, request, actor, cancellationToken);
        return result.Value is { } done
            ? CrmHttp.Created(
                http,
                result.Status,
                $"/api/v1/opportunities/{done.Opportunity.Opportunity.Id:D}",
                new ConversionResponse(LeadResponse.From(done.Lead), ContactResponse.From(done.Contact), OpportunityResponse.From(done.Opportunity)))
            : CrmHttp.Problem(result);
    }

    private static async Task<IResult> CreateContact(HttpContext http, ClaimsPrincipal user, ContactService contacts, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<CreateContactRequest>(http.Request, CrmHttp.MaxBodyBytes, cancellationToken);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var (draft, errors) = CrmValidation.Contact(body.Value!);
        if (draft is null)
        {
            return CrmHttp.Validation(errors);
        }

        var (tenantId, actor) = CrmHttp.Caller(user);
        var result = await contacts.CreateAsync(tenantId, draft, actor, cancellationToken);
        return result.Value is { } contact ? CrmHttp.Created(http, result.Status, $"/api/v1/contacts/{contact.Id:D}", ContactResponse.From(contact)) : CrmHttp.Problem(result);
    }

    private static async Task<IResult> ListContacts(HttpRequest request, ClaimsPrincipal user, ContactService contacts, CrmOptions options, CancellationToken cancellationToken)
    {
        var (query, sortSql, errors) = ListParameters.Parse(request, Contacts, options);
        if (query is null)
        {
            return CrmHttp.Validation(errors);
        }

        var result = await contacts.ListAsync(CrmHttp.Caller(user).TenantId, query, sortSql, cancellationToken);
        return result.Value is { } page
            ? TypedResults.Ok(new PageResponse<ContactResponse>(page.Items.Select(ContactResponse.From).ToList(), query.Page, query.PageSize, page.Total, ListParameters.Next(request, Contacts, query, page.Items.Count, page.Total)))
            : CrmHttp.Problem(result);
    }

    private static async Task<IResult> GetContact(Guid id, ClaimsPrincipal user, ContactService contacts, CancellationToken cancellationToken)
    {
        var result = await contacts.GetAsync(CrmHttp.Caller(user).TenantId, id, cancellationToken);
        return result.Value is { } contact ? TypedResults.Ok(ContactResponse.From(contact)) : CrmHttp.Problem(result);
    }

    private static async Task<IResult> CreateOpportunity(HttpContext http, ClaimsPrincipal user, OpportunityService opportunities, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<CreateOpportunityRequest>(http.Request, CrmHttp.MaxBodyBytes, cancellationToken);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var (draft, errors) = CrmValidation.Opportunity(body.Value!);
        var (key, keyProblem) = CrmHttp.IdempotencyKey(http.Request);
        if (errors.Count > 0 || keyProblem is not null)
        {
            return keyProblem ?? CrmHttp.Validation(errors);
        }

        var (tenantId, actor) = CrmHttp.Caller(user);
        var result = await opportunities.CreateAsync(tenantId, draft!, actor, key, cancellationToken);
        return result.Value is { } details
            ? CrmHttp.Created(http, result.Status, $"/api/v1/opportunities/{details.Opportunity.Id:D}", OpportunityResponse.From(details))
            : CrmHttp.Problem(result);
    }

    private static async Task<IResult> ListOpportunities(HttpRequest request, ClaimsPrincipal user, OpportunityService opportunities, CrmOptions options, CancellationToken cancellationToken)
    {
        var (query, sortSql, errors) = ListParameters.Parse(request, Opportunities, options);
        if (query is null)
        {
            return CrmHttp.Validation(errors);
        }

        var result = await opportunities.ListAsync(CrmHttp.Caller(user).TenantId, query, sortSql, cancellationToken);
        if (result.Status != CrmStatus.Ok)
        {
            return CrmHttp.Problem(result);
        }

        var (page, pipeline, totals) = result.Value;
        var items = page.Items
            .Select(o => OpportunityResponse.From(o, pipeline.Find(o.Stage) is null ? [] : OpportunityLifecycle.AllowedFrom(pipeline, o.Stage)))
            .ToList();
        return TypedResults.Ok(new OpportunityPageResponse(items, query.Page, query.PageSize, page.Total, ListParameters.Next(request, Opportunities, query, items.Count, page.Total), PipelineResponse.From(totals)));
    }

    private static async Task<IResult> GetOpportunity(Guid id, ClaimsPrincipal user, OpportunityService opportunities, CancellationToken cancellationToken)
    {
        var result = await opportunities.GetAsync(CrmHttp.Caller(user).TenantId, id, cancellationToken);
        return result.Value is { } details ? TypedResults.Ok(OpportunityResponse.From(details)) : CrmHttp.Problem(result);
    }

    private static async Task<IResult> PatchOpportunity(Guid id, HttpRequest request, ClaimsPrincipal user, OpportunityService opportunities, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<PatchOpportunityRequest>(request, CrmHttp.MaxBodyBytes, cancellationToken);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var (patch, errors) = CrmValidation.OpportunityPatch(body.Value!);
        if (patch is null)
        {
            return CrmHttp.Validation(errors);
        }

        var (tenantId, actor) = CrmHttp.Caller(user);
        var result = await opportunities.PatchAsync(tenantId, id, patch, actor, cancellationToken);
        return result.Value is { } details ? TypedResults.Ok(OpportunityResponse.From(details)) : CrmHttp.Problem(result);
    }

    private static async Task<IResult> CloseOpportunity(Guid id, HttpRequest request, ClaimsPrincipal user, OpportunityService opportunities, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<CloseOpportunityRequest>(request, CrmHttp.MaxBodyBytes, cancellationToken);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var (won, reason, errors) = CrmValidation.Close(body.Value!);
        if (errors.Count > 0)
        {
            return CrmHttp.Validation(errors);
        }

        var (tenantId, actor) = CrmHttp.Caller(user);
        var result = await opportunities.CloseAsync(tenantId, id, won, reason, actor, cancellationToken);
        return result.Value is { } details ? TypedResults.Ok(OpportunityResponse.From(details)) : CrmHttp.Problem(result);
    }
}
