using Mono.Cecil;

namespace ReplyDrafter.Tests.Architecture;

/// <summary>
/// The feature folders (<c>ReplyDrafter.Inbox</c>, <c>.Mail</c>, <c>.Vault</c>, ...) depend on each other one way only.
/// Reads every reference in the compiled assembly (signatures and method bodies) with Mono.Cecil.
/// </summary>
public sealed class NamespaceCycleTests
{
    // The composition root sees every folder by design; it is no feature folder's dependency.
    private static readonly string[] CompositionRoot = ["ReplyDrafter.ReplyDrafterHostingExtensions", "Program"];

    [Fact]
    public void FeatureNamespaces_DependencyGraph_HasNoCycle()
    {
        var graph = Graph(typeof(ReplyDrafter.Vault.VaultLayout).Assembly.Location);

        var cycle = FindCycle(graph);

        Assert.True(cycle is null, "Namespace cycle: " + string.Join(" -> ", cycle ?? []) + Environment.NewLine + Describe(graph));
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

    private static Dictionary<string, HashSet<string>> Graph(string assemblyPath)
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

            if (CompositionRoot.Contains(outer.FullName, StringComparer.Ordinal) || !outer.Namespace.StartsWith("ReplyDrafter", StringComparison.Ordinal))
            {
                continue;
            }

            var from = outer.Namespace;
            var edges = graph.TryGetValue(from, out var set) ? set : graph[from] = new HashSet<string>(StringComparer.Ordinal);
            foreach (var to in References(type).SelectMany(Namespaces))
            {
                if (to != from && to.StartsWith("ReplyDrafter", StringComparison.Ordinal))
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

        foreach (var field in type.Fields)
        {
            yield return field.FieldType;
        }

        foreach (var property in type.Properties)
        {
            yield return property.PropertyType;
        }

        foreach (var method in type.Methods)
        {
            yield return method.ReturnType;
            foreach (var parameter in method.Parameters)
            {
                yield return parameter.ParameterType;
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
                    case MemberReference member when member.DeclaringType is not null:
                        yield return member.DeclaringType;
                        if (member is MethodReference called)
                        {
                            yield return called.ReturnType;
                        }
                        else if (member is FieldReference field)
                        {
                            yield return field.FieldType;
                        }

                        break;
                }
            }
        }
    }

    /// <summary>The namespaces a type reference names: its own (or its outermost declaring type's) and its generic arguments'.</summary>
    private static IEnumerable<string> Namespaces(TypeReference reference)
    {
        if (reference is GenericInstanceType generic)
        {
            foreach (var argument in generic.GenericArguments.SelectMany(Namespaces))
            {
                yield return argument;
            }
        }

        var type = reference.GetElementType();
        if (type.IsGenericParameter)
        {
            yield break;
        }

        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        yield return type.Namespace;
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
