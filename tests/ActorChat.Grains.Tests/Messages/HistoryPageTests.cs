using ActorChat.Contracts;

namespace ActorChat.Grains.Tests.Messages;

/// <summary>A page of messages is bounded by its text's bytes as well as by its count, read backwards or forwards.</summary>
[Collection(ClusterCollection.Name)]
public sealed class HistoryPageTests(ClusterFixture fixture)
{
    // 4,000 Chinese characters are 12,000 UTF-8 bytes, and a message's other fields count a few hundred more: 21
    // of them fit the default 256 KiB, 22 do not.
    private const int Sent = 30;
    private const int Fit = 262_144 / 12_000;
    private static readonly string LongText = new('长', 4000);

    [Fact]
    public async Task A_page_of_long_messages_ends_at_the_byte_cap_and_paging_on_reads_every_message_once()
    {
        var user = $"pager{Guid.NewGuid():N}"[..16];
        var room = fixture.Client.GetGrain<IRoomGrain>($"pages-{Guid.NewGuid():N}"[..20]);
        await room.Join(user);
        var seqs = new List<long>();
        for (var i = 0; i < Sent; i++)
        {
            seqs.Add((await room.Post(user, new MessageDraft(LongText, $"c{i}"))).Seq);
        }

        // Backwards: the newest that fit, then the rest.
        var newest = await room.History(user, null, 200);
        Assert.Equal((Fit, true), (newest.Messages.Count, newest.HasMore));
        Assert.Equal(seqs[^Fit..], newest.Messages.Select(m => m.Seq));
        var older = await room.History(user, newest.Messages[0].Seq, 200);
        Assert.Equal((Sent - Fit, false), (older.Messages.Count, older.HasMore));
        Assert.Equal(seqs[..^Fit], older.Messages.Select(m => m.Seq));

        // Forwards: the oldest that fit, then the rest.
        var oldest = await room.After(user, 0, 200);
        Assert.Equal((Fit, true), (oldest.Messages.Count, oldest.HasMore));
        Assert.Equal(seqs[..Fit], oldest.Messages.Select(m => m.Seq));

        // A page cut at the cap goes on after its last message, not after everything it read.
        Assert.Equal(seqs[Fit - 1], oldest.Next);
        var newer = await room.After(user, oldest.Next!.Value, 200);
        Assert.Equal(seqs[Fit..], newer.Messages.Select(m => m.Seq));
        Assert.Equal((false, seqs[^1]), (newer.HasMore, newer.Next));

        // Control characters count as the six-byte escapes they are sent as: 10 such messages fit, not 65.
        var escaped = fixture.Client.GetGrain<IRoomGrain>($"escape-{Guid.NewGuid():N}"[..20]);
        await escaped.Join(user);
        for (var i = 0; i < 12; i++)
        {
            await escaped.Post(user, new MessageDraft(new string('\u0001', 4000), $"e{i}"));
        }

        var escapes = await escaped.History(user, null, 200);
        Assert.Equal((10, true), (escapes.Messages.Count, escapes.HasMore));

        // Short messages are bounded by the count alone.
        await room.Post(user, new MessageDraft("short", null));
        var one = await room.History(user, null, 1);
        Assert.Equal(("short", true), (Assert.Single(one.Messages).Text, one.HasMore));
    }
}
