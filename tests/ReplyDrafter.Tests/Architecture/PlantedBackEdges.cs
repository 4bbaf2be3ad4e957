// Namespaces for NamespaceCycleTests to analyse: each leaf below reaches back into Planted.Pipeline through one kind of
// reference only, the kinds a reader of signatures alone would miss. Never called; only their IL matters.
#pragma warning disable CA1852, CA1812, CA1822, CA1018, CA1019, CA1813, CA1034, CA1825, IDE0051, IDE0059, IDE0060, CS0414

namespace ReplyDrafter.Tests.Architecture.Planted.Pipeline
{
    internal sealed class PipelineService;

    internal class PipelineBase;

    [AttributeUsage(AttributeTargets.All)]
    internal sealed class PipelineMarkerAttribute : System.Attribute;
}

namespace ReplyDrafter.Tests.Architecture.Planted.Leaf
{
    /// <summary>The pipeline depends on every leaf, as it should: a back edge from any of them closes a cycle.</summary>
    internal static class Uses
    {
        public static readonly Type[] All =
        [
            typeof(GenericArgument.Resolver), typeof(Attribute.Marked), typeof(AttributeTypeArgument.Named), typeof(TypeOf.Looker),
            typeof(Constraint.Bound), typeof(CalledParameter.Caller), typeof(ArrayOfGeneric.Holder), typeof(Clean.Plain),
        ];
    }

    [AttributeUsage(AttributeTargets.All)]
    internal sealed class NamesAttribute(Type type) : System.Attribute
    {
        public Type Type { get; } = type;
    }

    internal static class Helper
    {
        public static int Take(object? value) => value is null ? 0 : 1;

        public static T? Make<T>()
            where T : class => null;
    }
}

namespace ReplyDrafter.Tests.Architecture.Planted.Pipeline
{
    internal static class Wiring
    {
        public static readonly Type[] Leaves = Planted.Leaf.Uses.All;
    }
}

namespace ReplyDrafter.Tests.Architecture.Planted.GenericArgument
{
    internal sealed class Resolver
    {
        // Like GetRequiredService<T>(): the type appears only as the call's generic argument.
        public object? Resolve() => Leaf.Helper.Make<Pipeline.PipelineService>();
    }
}

namespace ReplyDrafter.Tests.Architecture.Planted.Attribute
{
    [Pipeline.PipelineMarker]
    internal sealed class Marked;
}

namespace ReplyDrafter.Tests.Architecture.Planted.AttributeTypeArgument
{
    [Leaf.Names(typeof(Pipeline.PipelineService))]
    internal sealed class Named;
}

namespace ReplyDrafter.Tests.Architecture.Planted.TypeOf
{
    internal sealed class Looker
    {
        public string Look() => typeof(Pipeline.PipelineService).Name;
    }
}

namespace ReplyDrafter.Tests.Architecture.Planted.Constraint
{
    internal sealed class Bound
    {
        public int Count<T>(T value)
            where T : Pipeline.PipelineBase => Leaf.Helper.Take(value);
    }
}

namespace ReplyDrafter.Tests.Architecture.Planted.CalledParameter
{
    internal sealed class Caller
    {
        // Only the callee's parameter names the pipeline: a call is all this namespace holds of it.
        public int Call() => Callee.Other.Take(null);
    }
}

namespace ReplyDrafter.Tests.Architecture.Planted.Callee
{
    internal static class Other
    {
        public static int Take(Pipeline.PipelineService? service) => Leaf.Helper.Take(service);
    }
}

namespace ReplyDrafter.Tests.Architecture.Planted.ArrayOfGeneric
{
    internal sealed class Holder
    {
        private readonly List<Pipeline.PipelineService>[] _lists = [];

        public int Count => _lists.Length;
    }
}

namespace ReplyDrafter.Tests.Architecture.Planted.Clean
{
    internal sealed class Plain
    {
        public int Count() => Leaf.Helper.Take(typeof(Leaf.Helper));
    }
}
