using Sllm.Generation;

namespace Sllm.Tests.Generation;

/// <summary>The Mersenne Twister matches <c>std::mt19937</c> and the reference <c>mt19937ar.c</c>.</summary>
public sealed class MersenneTwisterTests
{
    [Fact]
    public void Default_Seed_Gives_The_Reference_Sequence()
    {
        var twister = new MersenneTwister(5489);
        uint[] expected = [3_499_211_612, 581_869_302, 3_890_346_734, 3_586_334_585, 545_404_204];
        foreach (uint value in expected)
        {
            Assert.Equal(value, twister.NextUInt32());
        }
    }

    [Fact]
    public void Ten_Thousandth_Output_Is_The_Value_The_Cpp_Standard_Requires()
    {
        var twister = new MersenneTwister(5489);
        for (int i = 1; i < 10_000; i++)
        {
            twister.NextUInt32();
        }

        Assert.Equal(4_123_659_995u, twister.NextUInt32());
    }

    [Fact]
    public void Init_By_Array_Gives_The_Reference_Sequence()
    {
        var twister = MersenneTwister.FromKey([0x123, 0x234, 0x345, 0x456]);
        uint[] expected = [1_067_595_299, 955_945_823, 477_289_528, 4_107_218_783, 4_228_976_476];
        foreach (uint value in expected)
        {
            Assert.Equal(value, twister.NextUInt32());
        }
    }

    [Fact]
    public void NextDouble_Combines_Two_Outputs_Low_Word_First()
    {
        var twister = new MersenneTwister(5489);
        double expected = (3_499_211_612.0 + (581_869_302.0 * 4_294_967_296.0)) / 18_446_744_073_709_551_616.0;
        Assert.Equal(expected, twister.NextDouble());
        for (int i = 0; i < 10_000; i++)
        {
            double value = twister.NextDouble();
            Assert.InRange(value, 0.0, Math.BitDecrement(1.0));
        }
    }

    [Fact]
    public void Random_Source_Seeds_Differ()
    {
        var first = MersenneTwister.FromRandomSource();
        var second = MersenneTwister.FromRandomSource();
        bool differ = false;
        for (int i = 0; i < 4 && !differ; i++)
        {
            differ = first.NextUInt32() != second.NextUInt32();
        }

        Assert.True(differ);
    }
}
