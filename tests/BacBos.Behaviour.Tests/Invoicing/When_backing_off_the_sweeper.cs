using BacBos.Consumers.Invoicing;

namespace BacBos.Behaviour.Tests.Invoicing;

/// <summary>How long the sweeper waits after its n-th queuing of a document: <c>SweepAfter × 2^n</c>, at most <c>SweepMaxBackoff</c>.</summary>
public sealed class When_backing_off_the_sweeper
{
    [Theory]
    [InlineData(0, 15)]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(6, 960)]
    [InlineData(7, 1440)] // 1920 minutes, capped at 24 h
    [InlineData(8, 1440)]
    [InlineData(500, 1440)]
    public void It_should_double_from_sweep_after_up_to_the_cap(int attempts, int minutes)
    {
        Assert.Equal(TimeSpan.FromMinutes(minutes), new InvoicingOptions().SweepBackoff(attempts));
    }

    [Fact]
    public void A_zero_sweep_after_should_not_wait()
    {
        Assert.Equal(TimeSpan.Zero, new InvoicingOptions { SweepAfter = TimeSpan.Zero }.SweepBackoff(5));
    }
}
