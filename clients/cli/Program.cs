using System.Runtime.InteropServices;
using ActorChat.Cli;

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

var app = new CliApp(Console.Out, Console.Error, Console.In, Environment.GetEnvironmentVariable);
return await app.RunAsync(args, stop.Token);
