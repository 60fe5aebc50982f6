import type { RecordedRequest, SimulatorStats } from './types.js';

/** The request log (a ring buffer, oldest first) and the counters tests assert on. */
export class Recorder {
  private readonly ring: RecordedRequest[] = [];
  private next = 0;
  private total = 0;
  private inFlight = 0;
  private maxInFlight = 0;
  private byPath: Record<string, number> = {};
  private bytesReceived = 0;

  constructor(private readonly capacity: number) {}

  record(request: RecordedRequest): void {
    if (this.capacity <= 0) return;
    if (this.ring.length < this.capacity) this.ring.push(request);
    else this.ring[this.next] = request;
    this.next = (this.next + 1) % this.capacity;
  }

  get requests(): RecordedRequest[] {
    return this.ring.length < this.capacity ? [...this.ring] : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }

  /** Counts a request as it arrives; the returned function marks it done (call it once, when the socket is through with it). */
  begin(path: string): () => void {
    this.total++;
    this.byPath[path] = (this.byPath[path] ?? 0) + 1;
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    return () => {
      this.inFlight--;
    };
  }

  /** What clients sent, as the simulator read it: lets a benchmark report its upload volume. */
  received(bytes: number): void {
    this.bytesReceived += bytes;
  }

  stats(): SimulatorStats {
    return { total: this.total, inFlight: this.inFlight, maxInFlight: this.maxInFlight, byPath: { ...this.byPath }, bytesReceived: this.bytesReceived };
  }

  /** Requests still running stay counted as in flight, so maxInFlight restarts from them rather than from 0. */
  resetStats(): void {
    this.total = 0;
    this.byPath = {};
    this.bytesReceived = 0;
    this.maxInFlight = this.inFlight;
  }
}
