namespace Recovery.Timeline.Recording;

/// <summary>
/// Holds back recording in this process while an inline projection is rebuilt from the store: a fact recorded mid-rebuild
/// would update a document the rebuild has not reached yet (or write one the rebuild then inserts again). The facts wait
/// on the bus, unacknowledged, and are recorded once the rebuild is done; reads go on meanwhile.
/// </summary>
public sealed class RecordingPause
{
    private readonly object _sync = new();
    private int _recording;
    private TaskCompletionSource? _resumed;
    private TaskCompletionSource? _drained;

    /// <summary>Waits while paused, then counts the caller as recording until it disposes the result.</summary>
    public async Task<IDisposable> RecordAsync(CancellationToken ct)
    {
        while (true)
        {
            Task wait;
            lock (_sync)
            {
                if (_resumed is null)
                {
                    _recording++;
                    return new Recording(this);
                }
                wait = _resumed.Task;
            }
            await wait.WaitAsync(ct);
        }
    }

    /// <summary>Stops new recording and waits for the facts being recorded to commit; disposing the result resumes.</summary>
    public async Task<IDisposable> PauseAsync(CancellationToken ct)
    {
        Task drained;
        lock (_sync)
        {
            if (_resumed is not null) throw new InvalidOperationException("Recording is already paused.");
            _resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_recording == 0) _drained.SetResult();
            drained = _drained.Task;
        }
        var paused = new Paused(this);
        try { await drained.WaitAsync(ct); }
        catch { paused.Dispose(); throw; }
        return paused;
    }

    private void Done()
    {
        lock (_sync)
        {
            _recording--;
            if (_recording == 0) _drained?.TrySetResult();
        }
    }

    private void Resume()
    {
        TaskCompletionSource? resumed;
        lock (_sync)
        {
            resumed = _resumed;
            _resumed = null;
            _drained = null;
        }
        resumed?.TrySetResult();
    }

    private sealed class Recording(RecordingPause pause) : IDisposable
    {
        private int _disposed;
        public void Dispose() { if (Interlocked.Exchange(ref _disposed, 1) == 0) pause.Done(); }
    }

    private sealed class Paused(RecordingPause pause) : IDisposable
    {
        private int _disposed;
        public void Dispose() { if (Interlocked.Exchange(ref _disposed, 1) == 0) pause.Resume(); }
    }
}
