using Reporting.Features.Submissions;
using Reporting.Infrastructure;

namespace Reporting.Tests.Submissions;

/// <summary>The pure rules of a write: what to insert, what is a retry, which precondition fails, whether the year is locked. No storage.</summary>
public sealed class RevisionPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);
    private static readonly Submitter Agency = new("MEXT tester", "MEXT");
    private static readonly Submitter Admin = new("admin", null);

    private static IndicatorValue Stored(int year, double value, int revision = 1, string? note = null) =>
        new("research-time-share", "total", year, value, note, revision, "MEXT tester", "MEXT", Now.AddDays(-1), ETag: ValueETag.Of(revision));

    private static Dictionary<(string, int), Known<IndicatorValue?>> Values(bool fromCache, params IndicatorValue[] values) =>
        values.ToDictionary(v => (v.Series, v.Year), v => new Known<IndicatorValue?>(v, fromCache));

    private static Dictionary<int, Known<YearGuard>> Guards(bool fromCache, params YearGuard[] guards) =>
        guards.ToDictionary(g => g.Year, g => new Known<YearGuard>(g, fromCache));

    private static ValueWrite Write(int year, double value, string? note = null, string? ifMatch = null, bool createOnly = false) =>
        new("total", year, value, note, ValueStatus.Final, ifMatch, createOnly);

    private static PlanDecision Plan(IReadOnlyList<ValueWrite> writes, Dictionary<(string, int), Known<IndicatorValue?>> values,
        Dictionary<int, Known<YearGuard>>? guards = null, Submitter? who = null) =>
        RevisionPlanner.Plan("research-time-share", writes, values, guards ?? [], who ?? Agency, Now, outlierFactor: 2);

    [Fact]
    public void AChangedValue_IsTheNextRevision_RecordingTheValueItReplaces()
    {
        var decision = Plan([Write(2025, 34.1)], Values(false, Stored(2025, 33.5, revision: 2)));
        var revision = Assert.Single(decision.Plan!.Revisions);
        Assert.Equal((3, 34.1, 33.5), (revision.Value.Revision, revision.Value.Value, revision.PreviousValue));
        Assert.Equal(WriteKind.Revised, decision.Plan.Outcomes[0].Value.Kind);
        Assert.Equal([2025], decision.Plan.Years);
    }

    [Fact]
    public void TheSameValueNoteAndStatusAgain_IsUnchanged_AndWritesNothing_OnlyOnceStorageConfirmsIt()
    {
        var cached = Plan([Write(2025, 33.5)], Values(true, Stored(2025, 33.5)));
        Assert.True(cached.NeedsRead);
        Assert.Equal([("total", 2025)], cached.DoubtfulValues);

        var confirmed = Plan([Write(2025, 33.5)], Values(false, Stored(2025, 33.5)));
        Assert.Empty(confirmed.Plan!.Revisions);
        Assert.Empty(confirmed.Plan.Years);
        Assert.Equal(WriteKind.Unchanged, confirmed.Plan.Outcomes[0].Value.Kind);
    }

    [Theory]
    [InlineData("W/\"r2\"", true)]
    [InlineData("\"r2\"", true)]      // clients often drop the weak prefix
    [InlineData("W/\"r1\", W/\"r2\"", true)]
    [InlineData("*", true)]
    [InlineData("W/\"r1\"", false)]
    public void IfMatch_MatchesTheCurrentRevision_WithOrWithoutTheWeakPrefix(string ifMatch, bool matches) =>
        Assert.Equal(matches, ValueETag.Matches(ifMatch, 2));

    [Fact]
    public void AFailedPrecondition_IsRefusedAs412_AndNothingIsPlanned()
    {
        var stale = Plan([Write(2025, 34, ifMatch: "W/\"r1\"")], Values(false, Stored(2025, 33.5, revision: 2)));
        Assert.Equal(RefusalKind.PreconditionFailed, stale.Refusal?.Kind);
        Assert.Null(stale.Plan);
        var exists = Plan([Write(2025, 34, createOnly: true)], Values(false, Stored(2025, 33.5)));
        Assert.Equal(RefusalKind.PreconditionFailed, exists.Refusal?.Kind);
        var created = Plan([Write(2025, 34, createOnly: true)], Values(false));
        Assert.Equal(WriteKind.Created, created.Plan!.Outcomes[0].Value.Kind);
    }

    [Fact]
    public void AYearPublishedAsFinal_RefusesAnAgency_ButNotAnAdministrator()
    {
        var final = new YearGuard(2025, LockState.Final, "20261123T010000000Z-abcdef01", "staff", Now.AddHours(-1), "etag");
        var agency = Plan([Write(2025, 34), Write(2024, 30)], Values(false), Guards(false, final));
        Assert.Equal(RefusalKind.Conflict, agency.Plan!.Outcomes[0].Refusal?.Kind);
        Assert.Contains("published as final", agency.Plan.Outcomes[0].Refusal!.Detail.English);
        Assert.Equal("year", agency.Plan.Outcomes[0].Refusal!.Field);
        // The other year of the batch is written.
        Assert.Equal(WriteKind.Created, agency.Plan.Outcomes[1].Value.Kind);
        Assert.Equal([2024], agency.Plan.Years);

        var admin = Plan([Write(2025, 34)], Values(false), Guards(false, final), Admin);
        Assert.Equal(WriteKind.Created, admin.Plan!.Outcomes[0].Value.Kind);
        Assert.Equal([2025], admin.Plan.Years);
    }

    [Fact]
    public void AYearBeingPublished_RefusesAnAgencyWithoutClaimingItWasPublished()
    {
        var publishing = new YearGuard(2025, LockState.Publishing, "20261123T010000000Z-abcdef01", "staff", Now.AddDays(-30), "etag");
        var refusal = Plan([Write(2025, 34)], Values(false), Guards(false, publishing)).Plan!.Outcomes[0].Refusal!;
        Assert.Contains("being published", refusal.Detail.English);
        Assert.DoesNotContain("published as final", refusal.Detail.English);
    }

    [Fact]
    public void ALockSeenOnlyInThisInstancesMemory_IsConfirmedByARead_BeforeItRefuses()
    {
        var final = new YearGuard(2025, LockState.Final, "r", "staff", Now, "etag");
        var decision = Plan([Write(2025, 34)], Values(false), Guards(true, final));
        Assert.Equal([2025], decision.DoubtfulYears);
        Assert.Null(decision.Plan);
    }

    [Fact]
    public void AnImportsPreviousYearRow_CountsForTheOutlierFlag_OfTheRowAfterIt()
    {
        var decision = Plan([Write(2024, 10), Write(2025, 25)], Values(false));
        Assert.False(decision.Plan!.Outcomes[0].Value.Value.Flagged);
        Assert.True(decision.Plan.Outcomes[1].Value.Value.Flagged);
    }

    [Theory]
    [InlineData(20, 41, true)]
    [InlineData(20, 40, false)]   // exactly twice: not more than the factor
    [InlineData(20, 9.9, true)]
    [InlineData(0, 5, false)]     // no ratio to a zero
    public void OutlierRule_FlagsAValueMoreThanTheFactorAwayFromTheYearBefore(double before, double now, bool flagged)
    {
        var value = OutlierRule.Apply(Stored(2025, now), Stored(2024, before), factor: 2);
        Assert.Equal(flagged, value.Flagged);
        if (flagged) Assert.StartsWith("前年（2024）の値", value.FlagReason);
        Assert.DoesNotContain("です", value.FlagReason ?? "");
    }

    [Fact]
    public void TheMaximumRevision_IsRefusedAsAConflict_NotAnException()
    {
        var decision = Plan([Write(2025, 1)], Values(false, Stored(2025, 2, revision: RevisionPlanner.MaxRevision)));
        Assert.Equal(RefusalKind.Conflict, decision.Refusal?.Kind);
    }
}
