namespace Reporting.Infrastructure;

/// <summary>What a function answers for a use case's result: the value (200), or the refusal as a problem (<see cref="Problems.From"/>).</summary>
public static class Answers
{
    public static IResult Ok<T>(Result<T> result) => result.IsRefused ? Problems.From(result.Refusal!) : TypedResults.Ok(result.Value);

    public static IResult Refused(Refusal refusal) => Problems.From(refusal);
}
