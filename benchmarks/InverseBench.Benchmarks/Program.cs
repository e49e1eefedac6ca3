using BenchmarkDotNet.Running;

// `time CASE ...`: the plain timing entry point of eng/bench-vs-reference.sh; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "time") return InverseBench.Benchmarks.SideBySide.SideBySideTiming.Run(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
