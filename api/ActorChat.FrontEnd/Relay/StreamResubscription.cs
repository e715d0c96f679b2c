using Orleans.Streams;

namespace ActorChat.FrontEnd.Relay;

internal static class StreamResubscription
{
    /// <summary>
    /// Resumes the subscription the pub-sub store still holds for this node (dropping any extras, which would
    /// deliver twice), or subscribes anew when there is none.
    /// </summary>
    public static async Task<StreamSubscriptionHandle<T>> ResumeOrSubscribeAsync<T>(this IAsyncStream<T> stream, IAsyncObserver<T> observer)
    {
        var existing = await stream.GetAllSubscriptionHandles();
        if (existing.Count == 0)
        {
            return await stream.SubscribeAsync(observer);
        }

        foreach (var extra in existing.Skip(1))
        {
            await extra.UnsubscribeAsync();
        }

        return await existing[0].ResumeAsync(observer);
    }
}
