using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Sllm.Generation;

/// <summary>
/// The 32-bit Mersenne Twister MT19937, bit-for-bit <c>std::mt19937</c>, so that a seed means what it means to ONNX Runtime
/// GenAI; <see cref="NextDouble"/> is libstdc++'s <c>generate_canonical&lt;double, 53&gt;</c>, the uniform variate behind
/// <c>std::discrete_distribution</c>.
/// </summary>
/// <remarks>Not thread-safe; owned by one <see cref="TokenSampler"/>.</remarks>
internal sealed class MersenneTwister
{
    private const int N = 624;
    private const int M = 397;
    private const uint MatrixA = 0x9908_B0DFu;
    private const uint UpperMask = 0x8000_0000u;
    private const uint LowerMask = 0x7FFF_FFFFu;

    private readonly uint[] _state = new uint[N];
    private int _index;

    /// <summary>Seeds like <c>std::mt19937(seed)</c> (Matsumoto and Nishimura's <c>init_genrand</c>).</summary>
    public MersenneTwister(uint seed) => Initialize(seed);

    private MersenneTwister()
    {
    }

    /// <summary>Seeds from a key like the reference <c>init_by_array</c>.</summary>
    public static MersenneTwister FromKey(ReadOnlySpan<uint> key)
    {
        if (key.IsEmpty)
        {
            throw new ArgumentException("The key must not be empty.", nameof(key));
        }

        var twister = new MersenneTwister();
        uint[] mt = twister._state;
        twister.Initialize(19_650_218u);
        int i = 1;
        int j = 0;
        for (int k = Math.Max(N, key.Length); k > 0; k--)
        {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1_664_525u)) + key[j] + (uint)j;
            i++;
            j++;
            if (i >= N)
            {
                mt[0] = mt[N - 1];
                i = 1;
            }

            if (j >= key.Length)
            {
                j = 0;
            }
        }

        for (int k = N - 1; k > 0; k--)
        {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1_566_083_941u)) - (uint)i;
            i++;
            if (i >= N)
            {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }

        mt[0] = 0x8000_0000u;
        return twister;
    }

    /// <summary>Seeds the whole state from the operating system's cryptographic source, as ONNX Runtime GenAI seeds
    /// from <c>std::random_device</c> when no seed is given.</summary>
    public static MersenneTwister FromRandomSource()
    {
        Span<uint> key = stackalloc uint[N];
        RandomNumberGenerator.Fill(MemoryMarshal.AsBytes(key));
        return FromKey(key);
    }

    /// <summary>Returns the next tempered 32-bit output.</summary>
    public uint NextUInt32()
    {
        if (_index >= N)
        {
            Twist();
        }

        uint y = _state[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9D2C_5680u;
        y ^= (y << 15) & 0xEFC6_0000u;
        y ^= y >> 18;
        return y;
    }

    /// <summary>Returns a uniform double in [0, 1) from two outputs, low word first, as libstdc++ does.</summary>
    public double NextDouble()
    {
        double low = NextUInt32();
        double high = NextUInt32();
        double value = (low + (high * 4_294_967_296.0)) / 18_446_744_073_709_551_616.0;

        // The sum is rounded to 53 bits and can reach 2^64; libstdc++ clamps that case below 1.
        return value >= 1.0 ? Math.BitDecrement(1.0) : value;
    }

    private void Initialize(uint seed)
    {
        uint[] mt = _state;
        mt[0] = seed;
        for (int i = 1; i < N; i++)
        {
            mt[i] = (1_812_433_253u * (mt[i - 1] ^ (mt[i - 1] >> 30))) + (uint)i;
        }

        _index = N;
    }

    private void Twist()
    {
        uint[] mt = _state;
        int i = 0;
        for (; i < N - M; i++)
        {
            uint y = (mt[i] & UpperMask) | (mt[i + 1] & LowerMask);
            mt[i] = mt[i + M] ^ (y >> 1) ^ ((y & 1u) * MatrixA);
        }

        for (; i < N - 1; i++)
        {
            uint y = (mt[i] & UpperMask) | (mt[i + 1] & LowerMask);
            mt[i] = mt[i + M - N] ^ (y >> 1) ^ ((y & 1u) * MatrixA);
        }

        uint last = (mt[N - 1] & UpperMask) | (mt[0] & LowerMask);
        mt[N - 1] = mt[M - 1] ^ (last >> 1) ^ ((last & 1u) * MatrixA);
        _index = 0;
    }
}
