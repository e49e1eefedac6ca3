using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Core.Modules;

/// <summary>
/// An insertion-ordered container of named child modules whose names may be any string (<c>128x128_conv</c>), as PyTorch's
/// <c>nn.ModuleDict</c>. (TorchSharp's own <c>ModuleDict&lt;T&gt;</c> cannot be converted with <c>.to(dtype)</c> in 0.107.)
/// </summary>
public sealed class OrderedModuleDict : nn.Module, IEnumerable<(string Name, nn.Module Module)>
{
    private readonly List<(string Name, nn.Module Module)> _items = new();

    /// <summary>Creates an empty container.</summary>
    public OrderedModuleDict() : base(nameof(OrderedModuleDict)) { }

    /// <summary>Adds a child under <paramref name="name"/>.</summary>
    public void Add(string name, nn.Module module)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(module);
        if (_items.Any(i => i.Name == name)) throw new ArgumentException($"A module named '{name}' already exists.", nameof(name));
        register_module(name, module);
        _items.Add((name, module));
    }

    /// <summary>Number of children.</summary>
    public int Count => _items.Count;

    /// <inheritdoc />
    public IEnumerator<(string Name, nn.Module Module)> GetEnumerator() => _items.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
