namespace ReplyDrafter.Llm;

/// <summary>An answer that is not JSON, does not fit the schema, or was cut off: retried, never returned.</summary>
internal sealed class InvalidAnswerException : Exception
{
    public InvalidAnswerException() : base("The model's answer is not usable.") { }

    public InvalidAnswerException(string message) : base(message) { }

    public InvalidAnswerException(string message, Exception inner) : base(message, inner) { }
}
