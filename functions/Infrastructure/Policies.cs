using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace Reporting.Infrastructure;

/// <summary>Who may call an operation: each function names one (<see cref="RequiresAttribute"/>).</summary>
public enum Policy
{
    /// <summary>Any role of the API: staff, admin or an agency.</summary>
    AnyRole,
    /// <summary>An agency's staff or daemon (agency.{CODE}).</summary>
    Agency,
    /// <summary>An agency (its own indicators, checked by the use case) or an administrator (with a reason).</summary>
    Submitter,
    Staff,
    Admin,
}

/// <summary>
/// The one table of policies: each policy's name, the roles it accepts in words and as role values, and the rule. The
/// authorization of every function and the API description's <c>x-roles</c> both read it.
/// </summary>
public static class Policies
{
    public sealed record Rule(Policy Policy, string Name, string Roles, IReadOnlyList<string> RoleValues, Func<ClaimsPrincipal, bool> Allows);

    public static IReadOnlyList<Rule> All { get; } =
    [
        new(Policy.AnyRole, "any-role", "any role of the API (staff, admin or agency.{CODE})", ["staff", "admin", "agency.{CODE}"],
            u => u.IsInRole(Infrastructure.Roles.Staff) || u.IsInRole(Infrastructure.Roles.Admin) || (u.IsAgency() && u.AgencyCode() is not null)),
        new(Policy.Agency, "agency", "agency.{CODE}: an agency's staff or daemon", ["agency.{CODE}"],
            u => u.IsAgency() && u.AgencyCode() is not null),
        new(Policy.Submitter, "submitter", "agency.{CODE} of the agency responsible for the indicator, or admin (with a reason)", ["agency.{CODE}", "admin"],
            u => (u.IsAgency() && u.AgencyCode() is not null) || u.IsInRole(Infrastructure.Roles.Admin)),
        new(Policy.Staff, "staff", "staff or admin", ["staff", "admin"],
            u => u.IsInRole(Infrastructure.Roles.Staff) || u.IsInRole(Infrastructure.Roles.Admin)),
        new(Policy.Admin, "admin", "admin", ["admin"],
            u => u.IsInRole(Infrastructure.Roles.Admin)),
    ];

    public static Rule Of(Policy policy) => All.Single(r => r.Policy == policy);

    public static Rule? Named(string name) => All.FirstOrDefault(r => r.Name == name);
}

/// <summary>The policy a function requires; its caller is authenticated and authorized before anything of the request is read.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresAttribute(Policy policy) : AuthorizeAttribute(Policies.Of(policy).Name)
{
    public Policy Required => policy;
}
