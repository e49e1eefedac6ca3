global using FluentAssertions;
global using NUnit.Framework;
global using InverseBench.Core.Running;
global using Microsoft.Extensions.DependencyInjection;
