namespace ActorChat.Client.Tests;

public sealed class BackoffTests
{
    [Theory]
    [InlineData(0, 500)]
    [InlineData(1, 1000)]
    [InlineData(3, 4000)]
    [InlineData(6, 30000)]
    [InlineData(40, 30000)]
    public void Each_delay_is_half_its_exponential_ceiling_fixed_and_half_random(int attempt, int ceilingMs)
    {
        var backoff = ChatBackoff.Default;
        Assert.Equal(TimeSpan.FromMilliseconds(ceilingMs / 2.0), backoff.Delay(attempt, 0));
        Assert.Equal(TimeSpan.FromMilliseconds(ceilingMs), backoff.Delay(attempt, 1));
        Assert.InRange(backoff.Delay(attempt), TimeSpan.FromMilliseconds(ceilingMs / 2.0), TimeSpan.FromMilliseconds(ceilingMs));
    }

    [Theory]
    [InlineData(ChatErrorCodes.NodeFull)]
    [InlineData(ChatErrorCodes.TooManyConnections)]
    public void After_a_node_turned_the_socket_away_the_next_try_waits_five_to_ten_seconds(string code)
    {
        var backoff = ChatBackoff.Default;
        var turnedAway = new ChatException(code, "turned away");
        Assert.Equal(TimeSpan.FromSeconds(5), backoff.DelayAfter(0, turnedAway, 0));
        Assert.Equal(TimeSpan.FromSeconds(10), backoff.DelayAfter(0, turnedAway, 1));

        // Past that the usual curve, and any other failure keeps it throughout.
        Assert.Equal(TimeSpan.FromSeconds(30), backoff.DelayAfter(10, turnedAway, 1));
        Assert.Equal(TimeSpan.FromMilliseconds(250), backoff.DelayAfter(0, new ChatException(ChatErrorCodes.Internal, "x"), 0));
        Assert.Equal(TimeSpan.FromMilliseconds(250), backoff.DelayAfter(0, null, 0));
    }
}
