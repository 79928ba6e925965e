using Microsoft.Azure.Functions.Worker;
using Reporting.Features.Submissions;
using Reporting.Infrastructure;

namespace Reporting.Features.Imports;

/// <summary>POST /api/imports[?dryRun=true]: many values from a CSV file exported from Excel.</summary>
public sealed class ImportCsvFunction(ImportValues import)
{
    [Function("ImportCsv")]
    [Requires(Policy.Agency)]
    [Operation("Imports", "Submit many values from a CSV file (UTF-8 or Shift_JIS)",
        Description = "A header row naming the columns indicator, series, year, value, status, note (in any order; series, status and note may be left out), then one row per value; at most 10,000 rows. UTF-8 with or without BOM, or Content-Type: text/csv; charset=shift_jis. Each row is checked and written as a PUT of it would be; the answer gives every row's outcome. dryRun=true checks without writing. If storage fails midway, the 503 names the indicators committed and those not: send the same file again.")]
    // JSON rows are still read here, as before /rows existed, but only CSV is described: a generator offered both makes
    // one method that sends JSON labelled text/csv.
    [Body<string>("text/csv", "application/csv", "application/json"), DescribedBody("text/csv")]
    [Returns<ImportResult>, Problems(400, 413, 415)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/imports")] HttpRequest request, string? dryRun = null) =>
        ImportRequest.HandleAsync(request, dryRun, jsonOnly: false, import);
}

/// <summary>POST /api/imports/rows[?dryRun=true]: the same as JSON rows.</summary>
public sealed class ImportRowsFunction(ImportValues import)
{
    [Function("ImportRows")]
    [Requires(Policy.Agency)]
    [Operation("Imports", "Submit many values as JSON rows",
        Description = "The same rows as a CSV import, as a JSON array; at most 10,000 rows. Each row is checked and written as a PUT of it would be; the answer gives every row's outcome. dryRun=true checks without writing.")]
    [Body<ImportRowRequest[]>, Returns<ImportResult>, Problems(400, 413, 415)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/imports/rows")] HttpRequest request, string? dryRun = null) =>
        ImportRequest.HandleAsync(request, dryRun, jsonOnly: true, import);
}
