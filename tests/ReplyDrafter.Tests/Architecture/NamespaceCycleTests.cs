using Mono.Cecil;

namespace ReplyDrafter.Tests.Architecture;

/// <summary>
/// The feature folders (<c>ReplyDrafter.Inbox</c>, <c>.Mail</c>, <c>.Vault</c>, ...) depend on each other one way only,
/// and the leaves never on the pipeline. Reads every reference in the compiled assembly with Mono.Cecil: signatures,
/// generic arguments and constraints, attributes (and the types they name), and method bodies (locals, the types,
/// fields and methods they use, with the generic arguments of a call such as <c>GetRequiredService&lt;T&gt;()</c>).
/// </summary>
public sealed class NamespaceCycleTests
{
    // The composition root sees every folder by design; it is no feature folder's dependency.
    private static readonly string[] CompositionRoot = ["ReplyDrafter.ReplyDrafterHostingExtensions", "Program"];

    /// <summary>Folders every part of the program may use: they never reach into the pipeline.</summary>
    private static readonly string[] Leaves = ["ReplyDrafter.Mail", "ReplyDrafter.Vault", "ReplyDrafter.Llm", "ReplyDrafter.Security"];

    /// <summary>The pipeline and its drivers: the top of the layer order.</summary>
    private static readonly string[] Pipeline = ["ReplyDrafter.Processing", "ReplyDrafter.Inbox", "ReplyDrafter.Imap", "ReplyDrafter.Cli", "ReplyDrafter.Hosting"];

    private const string Planted = "ReplyDrafter.Tests.Architecture.Planted";

    [Fact]
    public void FeatureNamespaces_DependencyGraph_HasNoCycle()
    {
        var graph = Graph(typeof(ReplyDrafter.Vault.VaultLayout).Assembly.Location, "ReplyDrafter");

        var cycle = FindCycle(graph);

        Assert.True(cycle is null, "Namespace cycle: " + string.Join(" -> ", cycle ?? []) + Environment.NewLine + Describe(graph));
    }

    [Fact]
    public void LeafNamespaces_DependencyGraph_NeverReachThePipeline()
    {
        var graph = Graph(typeof(ReplyDrafter.Vault.VaultLayout).Assembly.Location, "ReplyDrafter");

        var paths = Leaves.Select(leaf => PathTo(graph, leaf, Pipeline)).OfType<List<string>>().ToList();

        Assert.True(paths.Count == 0, "A leaf depends on the pipeline: " + string.Join("; ", paths.Select(p => string.Join(" -> ", p))));
    }

    [Fact]
    public void PathTo_LeafReachingThePipelineThroughAnotherFolder_ReportsThePath()
    {
        var graph = new Dictionary<string, HashSet<string>>
        {
            ["R.Mail"] = ["R.Vault"],
            ["R.Vault.Sub"] = ["R.Inbox.Worker"],
            ["R.Inbox.Worker"] = ["R.Mail"],
            ["R.Llm"] = ["R.Vault"],
            ["R.Security"] = [],
        };
        graph["R.Vault"] = ["R.Vault.Sub"];

        Assert.Equal(["R.Mail", "R.Vault", "R.Vault.Sub", "R.Inbox.Worker"], PathTo(graph, "R.Mail", ["R.Inbox"]));
        Assert.Null(PathTo(graph, "R.Security", ["R.Inbox"]));
    }

    [Theory]
    [InlineData("GenericArgument")]
    [InlineData("Attribute")]
    [InlineData("AttributeTypeArgument")]
    [InlineData("TypeOf")]
    [InlineData("Constraint")]
    [InlineData("CalledParameter")]
    [InlineData("ArrayOfGeneric")]
    public void Graph_PlantedBackEdge_IsSeen(string kind)
    {
        var graph = Graph(typeof(NamespaceCycleTests).Assembly.Location, Planted);

        Assert.Contains(Planted + ".Pipeline", graph[Planted + "." + kind]);
    }

    [Fact]
    public void Graph_PlantedLeafWithoutBackEdge_HasNoEdgeToThePipeline()
    {
        var graph = Graph(typeof(NamespaceCycleTests).Assembly.Location, Planted);

        Assert.DoesNotContain(Planted + ".Pipeline", graph[Planted + ".Clean"]);
    }

    [Fact]
    public void FindCycle_TwoNamespacesUsingEachOther_ReportsThem()
    {
        var graph = new Dictionary<string, HashSet<string>>
        {
            ["A"] = ["B"],
            ["B"] = ["C"],
            ["C"] = ["A"],
            ["D"] = ["A"],
        };

        Assert.Equal(["A", "B", "C", "A"], FindCycle(graph));
    }

    /// <summary>Namespace → the namespaces it uses, for the types under <paramref name="root"/>.</summary>
    private static Dictionary<string, HashSet<string>> Graph(string assemblyPath, string root)
    {
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var type in module.GetTypes())
        {
            var outer = type;
            while (outer.DeclaringType is not null)
            {
                outer = outer.DeclaringType;
            }

            if (CompositionRoot.Contains(outer.FullName, StringComparer.Ordinal) || !outer.Namespace.StartsWith(root, StringComparison.Ordinal))
            {
                continue;
            }

            var from = outer.Namespace;
            var edges = graph.TryGetValue(from, out var set) ? set : graph[from] = new HashSet<string>(StringComparer.Ordinal);
            foreach (var to in References(type).SelectMany(Namespaces))
            {
                if (to != from && to.StartsWith(root, StringComparison.Ordinal))
                {
                    edges.Add(to);
                }
            }
        }

        return graph;
    }

    private static IEnumerable<TypeReference> References(TypeDefinition type)
    {
        if (type.BaseType is { } baseType)
        {
            yield return baseType;
        }

        foreach (var implemented in type.Interfaces)
        {
            yield return implemented.InterfaceType;
        }

        foreach (var reference in Attributes(type).Concat(Constraints(type.GenericParameters)))
        {
            yield return reference;
        }

        foreach (var field in type.Fields)
        {
            yield return field.FieldType;
            foreach (var reference in Attributes(field))
            {
                yield return reference;
            }
        }

        foreach (var property in type.Properties)
        {
            yield return property.PropertyType;
            foreach (var reference in Attributes(property))
            {
                yield return reference;
            }
        }

        foreach (var @event in type.Events)
        {
            yield return @event.EventType;
            foreach (var reference in Attributes(@event))
            {
                yield return reference;
            }
        }

        foreach (var method in type.Methods)
        {
            foreach (var reference in Signature(method).Concat(Attributes(method)).Concat(Attributes(method.MethodReturnType)).Concat(Constraints(method.GenericParameters)))
            {
                yield return reference;
            }

            foreach (var parameter in method.Parameters)
            {
                foreach (var reference in Attributes(parameter))
                {
                    yield return reference;
                }
            }

            if (!method.HasBody)
            {
                continue;
            }

            foreach (var variable in method.Body.Variables)
            {
                yield return variable.VariableType;
            }

            foreach (var instruction in method.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference typeReference:
                        yield return typeReference;
                        break;
                    case MethodReference called:
                        foreach (var reference in Signature(called))
                        {
                            yield return reference;
                        }

                        break;
                    case FieldReference field:
                        yield return field.DeclaringType;
                        yield return field.FieldType;
                        break;
                }
            }
        }
    }

    /// <summary>A method's declaring type, return and parameter types, and its generic arguments when it is an instantiation (<c>Get&lt;T&gt;()</c>).</summary>
    private static IEnumerable<TypeReference> Signature(MethodReference method)
    {
        yield return method.DeclaringType;
        yield return method.ReturnType;
        foreach (var parameter in method.Parameters)
        {
            yield return parameter.ParameterType;
        }

        if (method is GenericInstanceMethod generic)
        {
            foreach (var argument in generic.GenericArguments)
            {
                yield return argument;
            }
        }
    }

    private static IEnumerable<TypeReference> Constraints(IEnumerable<GenericParameter> parameters) =>
        parameters.SelectMany(p => p.Constraints.Select(c => c.ConstraintType).Concat(Attributes(p)));

    /// <summary>The attribute types, and the types an attribute names (<c>[X(typeof(Y))]</c>, <c>Type = typeof(Y)</c>).</summary>
    private static IEnumerable<TypeReference> Attributes(ICustomAttributeProvider provider)
    {
        if (!provider.HasCustomAttributes)
        {
            yield break;
        }

        foreach (var attribute in provider.CustomAttributes)
        {
            yield return attribute.AttributeType;
            var arguments = attribute.ConstructorArguments
                .Concat(attribute.Fields.Select(f => f.Argument))
                .Concat(attribute.Properties.Select(p => p.Argument));
            foreach (var argument in arguments.SelectMany(Flatten))
            {
                yield return argument.Type;
                if (argument.Value is TypeReference named)
                {
                    yield return named;
                }
            }
        }
    }

    /// <summary>An attribute argument, and the elements of an array argument (<c>[X(new[] { typeof(Y) })]</c>).</summary>
    private static IEnumerable<CustomAttributeArgument> Flatten(CustomAttributeArgument argument) =>
        argument.Value switch
        {
            CustomAttributeArgument[] elements => elements.SelectMany(Flatten).Prepend(argument),
            CustomAttributeArgument boxed => Flatten(boxed).Prepend(argument),
            _ => [argument],
        };

    /// <summary>
    /// The namespaces a type reference names: its own (or its outermost declaring type's), its generic arguments', and
    /// those of what an array, pointer or by-ref is made of (<c>List&lt;X&gt;[]</c> names X).
    /// </summary>
    private static IEnumerable<string> Namespaces(TypeReference reference)
    {
        switch (reference)
        {
            case GenericInstanceType generic:
                foreach (var name in generic.GenericArguments.SelectMany(Namespaces).Concat(Namespaces(generic.ElementType)))
                {
                    yield return name;
                }

                yield break;
            case TypeSpecification specification:
                foreach (var name in Namespaces(specification.ElementType))
                {
                    yield return name;
                }

                yield break;
            case GenericParameter:
                yield break;
        }

        var type = reference;
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        yield return type.Namespace;
    }

    /// <summary>A path from <paramref name="from"/> (or a namespace under it) to one of <paramref name="targets"/>, or null.</summary>
    private static List<string>? PathTo(Dictionary<string, HashSet<string>> graph, string from, string[] targets)
    {
        bool Under(string name, string folder) => name == folder || name.StartsWith(folder + ".", StringComparison.Ordinal);

        var previous = new Dictionary<string, string?>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        foreach (var start in graph.Keys.Where(n => Under(n, from)).Order(StringComparer.Ordinal))
        {
            previous[start] = null;
            queue.Enqueue(start);
        }

        while (queue.TryDequeue(out var node))
        {
            if (targets.Any(t => Under(node, t)))
            {
                var path = new List<string>();
                for (string? at = node; at is not null; at = previous[at])
                {
                    path.Insert(0, at);
                }

                return path;
            }

            foreach (var next in (graph.TryGetValue(node, out var edges) ? edges : []).Order(StringComparer.Ordinal))
            {
                if (previous.TryAdd(next, node))
                {
                    queue.Enqueue(next);
                }
            }
        }

        return null;
    }

    /// <summary>The first cycle found by depth-first search, as a closed path, or null.</summary>
    private static List<string>? FindCycle(Dictionary<string, HashSet<string>> graph)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new List<string>();

        List<string>? Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (var next in (graph.TryGetValue(node, out var edges) ? edges : []).Order(StringComparer.Ordinal))
            {
                if (state.GetValueOrDefault(next) == 1)
                {
                    return [.. path[path.IndexOf(next)..], next];
                }

                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } found)
                {
                    return found;
                }
            }

            state[node] = 2;
            path.RemoveAt(path.Count - 1);
            return null;
        }

        foreach (var node in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (state.GetValueOrDefault(node) == 0 && Visit(node) is { } cycle)
            {
                return cycle;
            }
        }

        return null;
    }

    private static string Describe(Dictionary<string, HashSet<string>> graph) =>
        string.Join(Environment.NewLine, graph.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} -> {string.Join(", ", p.Value.Order(StringComparer.Ordinal))}"));
}
