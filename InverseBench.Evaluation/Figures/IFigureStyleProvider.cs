namespace InverseBench.Evaluation.Figures;

/// <summary>
/// Optional interface of a forward operator (or any object describing a problem) that says how its results are drawn.
/// <see cref="FigureStyles.For"/> asks it when no style is registered for the problem's name.
/// </summary>
public interface IFigureStyleProvider
{
    /// <summary>The style of this problem's result panels.</summary>
    FigureStyle FigureStyle { get; }
}
