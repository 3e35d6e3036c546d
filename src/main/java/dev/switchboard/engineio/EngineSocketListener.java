package dev.switchboard.engineio;

/** Receives a session's messages and its close, once. Called without any session lock held. */
public interface EngineSocketListener {
    void onText(String text);

    void onBinary(byte[] data);

    void onClose(CloseReason reason);
}
