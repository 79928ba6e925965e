using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Reporting.Hosting;

// Nothing we print or parse may depend on the machine's locale (LANG=de_DE would print 16.000 for 16,000).
System.Globalization.CultureInfo.DefaultThreadCurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
System.Globalization.CultureInfo.DefaultThreadCurrentUICulture = System.Globalization.CultureInfo.InvariantCulture;

// An operator re-renders a stored snapshot with the deployed build: dotnet Reporting.dll render --snapshot … --out ….
if (args is [RenderCommand.Verb, .. var renderArgs])
{
    return RenderCommand.Run(renderArgs);
}

var builder = FunctionsApplication.CreateBuilder(args);
builder.AddReporting();
builder.Build().Run();
return 0;
