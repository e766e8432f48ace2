import MuxiClient
import MuxiClientTesting

/// Text a hostile server could send: the escape sequences that would drive a terminal.
public enum Hostile {
    /// What a hostile answer would do to a terminal, and what the screen shows instead.
    public static let attacks = [
        "\u{1B}[2J\u{1B}[H",                      // clear the screen, cursor home
        "\u{1B}]0;pwned title\u{07}",              // window title (OSC 0)
        "\u{1B}]2;pwned title\u{1B}\\",            // window title (OSC 2, ST)
        "\u{1B}]52;c;cHduZWQ=\u{07}",              // write the clipboard (OSC 52)
        "\u{9B}31m",                               // C1 CSI
        "abc\u{202E}fed\u{2066}x\u{2069}",         // bidirectional override and isolate
        "\u{1B}P+q544e\u{1B}\\",                   // DCS query
    ]

    /// One SSE frame of the turn `req_h` in session `sess_h`.
    public static func frame(_ kind: ChatToken.Kind, _ text: String) -> String {
        ChatToken(kind: kind, text: text, requestID: "req_h", sessionID: "sess_h", userID: "alice").sseFrame
    }
}
