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
}
