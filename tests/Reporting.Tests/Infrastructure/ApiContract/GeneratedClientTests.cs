using Reporting.Tests.Infrastructure;

namespace Reporting.Tests.Infrastructure.ApiContract;

/// <summary>
/// Agencies integrate by generating a client from <c>/api/openapi.json</c>: the client NSwag generates compiles with no
/// hand edits, and the whole workflow of an agency, an administrator and the secretariat runs through it against the
/// app on Azurite (<c>Clients/AgencyWorkflow.cs</c>: typed 201 with the ETag, If-Match, a typed 412 and 400, imports,
/// the report's PDF bytes, progress, completeness, publication), against the published handler: the native executable
/// that is deployed.
/// </summary>
[Trait("Tier", "Full")]
public sealed class GeneratedClientTests(PublishedHandler handler) : IClassFixture<PublishedHandler>
{
    private HttpClient As(string? token)
    {
        var client = new HttpClient { BaseAddress = new Uri(handler.BaseUrl), Timeout = TimeSpan.FromMinutes(2) };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    [Fact]
    public async Task ACSharpClientGeneratedFromTheServedDescription_CompilesWithoutEdits_AndRunsTheWholeWorkflow()
    {
        var description = await As(null).GetStringAsync("/api/openapi.json");
        var client = await GeneratedClients.CSharpAsync(description, "Agency.Reporting");
        var wrapped = await GeneratedClients.CSharpAsync(description, "Agency.Reporting.Wrapped", wrapResponses: true);
        var workflow = Repo.Path_("tests", "Reporting.Tests", "Infrastructure", "ApiContract", "Clients", "AgencyWorkflow.cs");

        var assembly = GeneratedClients.Compile("AgencyClient",
            ("ReportingClient.cs", client), ("ReportingClient.Wrapped.cs", wrapped), (workflow, await File.ReadAllTextAsync(workflow)));

        var run = assembly.GetType("Agency.Workflow.AgencyWorkflow")!.GetMethod("RunAsync")!;
        await (Task)run.Invoke(null, [As(handler.Tokens.Agency("MEXT")), As(handler.Tokens.Staff()), As(handler.Tokens.Admin())])!;
    }
}
