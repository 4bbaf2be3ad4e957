using Microsoft.Extensions.Logging.Abstractions;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Tests.Vault;

public sealed class PeopleCacheTests : IDisposable
{
    private readonly TempVault _vault = new();

    public void Dispose() => _vault.Dispose();

    [Fact]
    public void Current_NothingChanged_LoadedOnceAndKept()
    {
        File.WriteAllText(_vault.Path("Jeff Example.md"), "---\ntags: [person]\naliases: [Jeff]\n---\n");
        using var cache = new PeopleCache(_vault.Layout, NullLogger<PeopleCache>.Instance);

        var first = cache.Current;

        Assert.Equal("Jeff Example", first.Canonical("jeff"));
        Assert.Same(first, cache.Current);
    }
}
