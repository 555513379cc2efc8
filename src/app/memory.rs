//! How the app's process allocates. Every frame egui tessellates the map's isolines and the
//! paths into meshes of a few megabytes, and frees them. glibc's malloc hands a freed block
//! that large straight back to the OS (above its mmap threshold, a threshold it also moves as
//! blocks come and go), so each frame mapped those meshes anew and faulted them in page by
//! page: 4 to 6 ms of an 8 ms frame went to page faults (`examples/profile_frame.rs`; with the
//! thresholds fixed the same frame takes 3 ms). Whether a run fell into that mode depended on
//! the order of earlier allocations — why a few more widgets (the racers' tune buttons)
//! doubled the frame bench, and why the bench was bimodal between runs. Fixed thresholds
//! keep such blocks in the heap for the next frame.

/// Blocks up to this size come from the heap, not from a fresh mapping (glibc's maximum).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: i32 = 32 << 20;
/// Free memory at the top of the heap is given back to the OS only above this.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const TRIM_THRESHOLD: i32 = 64 << 20;

/// Fix glibc's allocator thresholds for this process (once; elsewhere, nothing to do).
pub fn keep_frame_buffers() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        // SAFETY: mallopt takes two integers and only changes the allocator's parameters;
        // glibc serializes it with allocation. A value it refuses leaves the default.
        ONCE.call_once(|| unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
            libc::mallopt(libc::M_TRIM_THRESHOLD, TRIM_THRESHOLD);
        });
    }
}
