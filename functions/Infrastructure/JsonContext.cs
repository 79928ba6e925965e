using System.Text.Json;
using System.Text.Json.Serialization;
using Reporting.Features.Completeness;
using Reporting.Features.Health;
using Reporting.Features.Imports;
using Reporting.Features.Indicators;
using Reporting.Features.Progress;
using Reporting.Features.Reports;
using Reporting.Features.Submissions;

namespace Reporting.Infrastructure;

/// <summary>
/// Every type the app reads or writes as JSON — API bodies, stored snapshots, manifests and summaries, catalog columns,
/// the host's invocation payload — with its serializer generated at compile time: nothing is serialized by reflection,
/// so the native (AOT) build reads and writes exactly what the JIT build does, and a type missing here fails every
/// test that touches it rather than only the deployed binary. <see cref="Json.Options"/> and the API use this alone.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict)]
// The API's answers
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(ReadinessResponse))]
[JsonSerializable(typeof(IReadOnlyList<IndicatorResponse>))]
[JsonSerializable(typeof(IReadOnlyList<CatalogChange>))]
[JsonSerializable(typeof(IReadOnlyList<Agency>))]
[JsonSerializable(typeof(ValuesResponse))]
[JsonSerializable(typeof(ImportResult))]
[JsonSerializable(typeof(IReadOnlyList<ReportInfo>))]
[JsonSerializable(typeof(IReadOnlyList<ProgressRow>))]
[JsonSerializable(typeof(CompletenessReport))]
[JsonSerializable(typeof(IReadOnlyList<SubmissionWindow>))]
[JsonSerializable(typeof(SubmissionWindow))]
[JsonSerializable(typeof(IndicatorResponse))]
[JsonSerializable(typeof(IndicatorValue))]
[JsonSerializable(typeof(Agency))]
[JsonSerializable(typeof(ReportInfo))]
// The API's requests
[JsonSerializable(typeof(SubmitValueRequest))]
[JsonSerializable(typeof(SetTargetRequest))]
[JsonSerializable(typeof(CorrectIndicatorRequest))]
[JsonSerializable(typeof(SetAgencyRequest))]
[JsonSerializable(typeof(CreateReportRequest))]
[JsonSerializable(typeof(PublishReportRequest))]
[JsonSerializable(typeof(SetWindowRequest))]
[JsonSerializable(typeof(ImportRowRequest[]))]
[JsonSerializable(typeof(JsonElement))]
// What a problem's extensions carry (serialized by their runtime type)
[JsonSerializable(typeof(IReadOnlyDictionary<string, string[]>))]
[JsonSerializable(typeof(Dictionary<string, string[]>))]
[JsonSerializable(typeof(WindowDates))]
[JsonSerializable(typeof(DateTimeOffset))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(string[]))]
// What storage keeps
[JsonSerializable(typeof(ReportSnapshot))]
[JsonSerializable(typeof(ReportStore.Manifest))]
[JsonSerializable(typeof(IReadOnlyList<SummaryRow>))]
[JsonSerializable(typeof(List<Series>))]
[JsonSerializable(typeof(List<Baseline>))]
[JsonSerializable(typeof(Target))]
[JsonSerializable(typeof(ReferencePeriod))]
// App Service authentication's principal
[JsonSerializable(typeof(AppServicePrincipal))]
public sealed partial class ReportingJson : JsonSerializerContext;
