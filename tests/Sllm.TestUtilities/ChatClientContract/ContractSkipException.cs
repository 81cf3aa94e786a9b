namespace Sllm.Testing.ChatClientContract;

/// <summary>
/// Thrown by a contract fact whose capability the client under test does not have; <see cref="ContractTestCase"/>
/// reports it as a skip with this message as the reason.
/// </summary>
/// <remarks>Only meaningful inside a <see cref="ContractFactAttribute"/> fact; anywhere else it is a failure.</remarks>
public sealed class ContractSkipException : Exception
{
    /// <summary>Initializes the exception with no reason.</summary>
    public ContractSkipException()
    {
    }

    /// <summary>Initializes the exception with the skip reason.</summary>
    public ContractSkipException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes the exception with the skip reason and an inner exception.</summary>
    public ContractSkipException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
