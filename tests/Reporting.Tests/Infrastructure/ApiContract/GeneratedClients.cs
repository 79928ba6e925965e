using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NJsonSchema.CodeGeneration.CSharp;
using NSwag;
using NSwag.CodeGeneration.CSharp;

namespace Reporting.Tests.Infrastructure.ApiContract;

/// <summary>
/// What an agency's developer does with the API description: generate a C# client with NSwag (the same settings as the
/// README's <c>nswag openapi2csclient</c> command) and compile it, with their own code beside it, as it is.
/// </summary>
public static class GeneratedClients
{
    /// <summary>The client NSwag generates: its defaults, with System.Text.Json (the README's command).</summary>
    public static async Task<string> CSharpAsync(string description, string @namespace, bool wrapResponses = false)
    {
        var document = await OpenApiDocument.FromJsonAsync(description);
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = "ReportingClient",
            WrapResponses = wrapResponses,
            CSharpGeneratorSettings = { Namespace = @namespace, JsonLibrary = CSharpJsonLibrary.SystemTextJson },
        };
        return new CSharpClientGenerator(document, settings).GenerateFile();
    }

    private const string GlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    /// <summary>Compiles the sources as a library against the framework and xunit's assertions; fails listing every error.</summary>
    public static Assembly Compile(string name, params (string Path, string Text)[] sources)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(Assert).Assembly.Location)
            .Distinct()
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(name,
            sources.Append((Path: "GlobalUsings.cs", Text: GlobalUsings))
                .Select(s => CSharpSyntaxTree.ParseText(s.Text, new CSharpParseOptions(LanguageVersion.Latest), s.Path, System.Text.Encoding.UTF8)),
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        // With the debug information inside, so a failing assertion in the workflow names its line.
        var result = compilation.Emit(image, options: new Microsoft.CodeAnalysis.Emit.EmitOptions(debugInformationFormat: Microsoft.CodeAnalysis.Emit.DebugInformationFormat.Embedded));
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        Assert.True(result.Success, $"{errors.Count} compile errors:\n" + string.Join("\n", errors.Take(30)));
        image.Position = 0;
        return new AssemblyLoadContext(name, isCollectible: true).LoadFromStream(image);
    }
}
