using InverseBench.Core.DependencyInjection;
using InverseBench.Core.Diffusion.Preconditioning;
using InverseBench.Training;
using InverseBench.Training.Losses;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the training loop with dependency injection.</summary>
public static class TrainingServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="TrainingOptions"/> (bound from <c>InverseBench:Training</c> of a registered configuration, then
    /// <paramref name="configure"/>; validated when first used) and a singleton <see cref="DiffusionTrainerFactory"/> that
    /// creates trainers with them. Idempotent for the factory.
    /// </summary>
    public static IInverseBenchBuilder AddTraining(this IInverseBenchBuilder builder, Action<TrainingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddComponentOptions(Options.Options.DefaultName, "InverseBench:Training", configure, o => o.EnsureValid());
        builder.Services.TryAddSingleton<DiffusionTrainerFactory>();
        return builder;
    }
}

/// <summary>Creates <see cref="DiffusionTrainer"/>s with the container's <see cref="TrainingOptions"/> (registered by <c>AddTraining</c>).</summary>
/// <param name="options">The validated options.</param>
public sealed class DiffusionTrainerFactory(IOptions<TrainingOptions> options)
{
    /// <summary>The options new trainers get.</summary>
    public TrainingOptions Options => options.Value;

    /// <summary>A trainer for <paramref name="network"/> with its EMA copy <paramref name="ema"/> and the loss named
    /// <paramref name="loss"/> (reference class name, default <c>EDMLoss</c>).</summary>
    public DiffusionTrainer Create(Preconditioner network, Preconditioner ema, string loss = "EDMLoss") =>
        new(network, ema, DenoisingLoss.FromName(loss), options.Value);
}
