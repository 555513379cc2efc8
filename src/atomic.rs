//! Safe file writes: nothing is ever half-written or lost, and nothing but the regular file
//! a path names is replaced.
//!
//! - A regular file (or a new one) is written to a temporary file beside it, which is
//!   flushed, synced and renamed over it; the old file's permissions carry over.
//! - A symbolic link is followed (through every hop) and its final target replaced that
//!   way; the link stays a link.
//! - A special file — a FIFO, a character or block device, a socket — is written directly
//!   (`--out /dev/stdout`, `--out /dev/null`, a named pipe): renaming over it would replace
//!   the device with a regular file.
//!
//! Temporary names are `.NAME.PID.tmp` (NAME shortened to keep the whole within 255 bytes);
//! one left by a process that no longer exists (killed mid-write) is removed on the next write
//! of the same file.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Longest file name most file systems accept, in bytes.
const NAME_MAX: usize = 255;
/// Symbolic links followed before giving up (Linux's own limit, MAXSYMLINKS).
const MAX_LINK_HOPS: usize = 40;

/// Write `path` through `write` (see the module documentation). If anything fails, the old
/// file is intact and the temporary file is removed.
pub fn write_atomically<T>(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<T>,
) -> io::Result<T> {
    let path = resolve_links(path)?;
    let existing = match fs::metadata(&path) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    if let Some(meta) = &existing
        && !meta.is_file()
        && !meta.is_dir()
    {
        return write_special(&path, write);
    }
    remove_stale_temporaries(&path);
    let tmp = temporary_path(&path, std::process::id());
    let result = (|| {
        let mut out = BufWriter::new(File::create(&tmp)?);
        let value = write(&mut out)?;
        let file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
        if let Some(meta) = &existing {
            file.set_permissions(meta.permissions())?;
        }
        file.sync_all()?;
        fs::rename(&tmp, &path)?;
        Ok(value)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// A FIFO or device: opened for writing as it is (never created, truncated or replaced).
fn write_special<T>(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<T>,
) -> io::Result<T> {
    let mut out = BufWriter::new(OpenOptions::new().write(true).open(path)?);
    let value = write(&mut out)?;
    out.flush()?;
    Ok(value)
}

/// `path` with every symbolic link in its last component followed (a relative target is
/// read from the link's folder); a dangling link gives the path it points to, to be created.
fn resolve_links(path: &Path) -> io::Result<PathBuf> {
    let mut path = path.to_path_buf();
    for _ in 0..MAX_LINK_HOPS {
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&path)?;
                path = match path.parent() {
                    Some(parent) if target.is_relative() => parent.join(target),
                    _ => target,
                };
            }
            _ => return Ok(path),
        }
    }
    Err(io::Error::other(format!(
        "more than {MAX_LINK_HOPS} symbolic links from {}",
        path.display()
    )))
}

/// The start of every temporary name for `path`: `.NAME.`, NAME cut (on a character
/// boundary) so that `.NAME.PID.tmp` fits in [`NAME_MAX`] bytes for any PID.
fn temporary_prefix(path: &Path) -> OsString {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    // '.' + NAME + '.' + up to 10 digits of a u32 PID + ".tmp"
    let room = NAME_MAX - 1 - 1 - 10 - 4;
    let cut = name.floor_char_boundary(room);
    format!(".{}.", &name[..cut]).into()
}

fn temporary_path(path: &Path, pid: u32) -> PathBuf {
    let mut name = temporary_prefix(path);
    name.push(format!("{pid}.tmp"));
    path.with_file_name(name)
}

/// Remove `.NAME.PID.tmp` files beside `path` whose PID is no running process: what a write
/// killed before its rename leaves. Only names of exactly this pattern are touched, and any
/// failure is ignored (the write itself does not depend on it).
fn remove_stale_temporaries(path: &Path) {
    let prefix = temporary_prefix(path);
    let prefix = prefix.to_string_lossy();
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(&*prefix))
            .and_then(|rest| rest.strip_suffix(".tmp"))
            .filter(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|digits| digits.parse::<u32>().ok())
        else {
            continue;
        };
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file && pid != std::process::id() && process_is_gone(pid) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Whether no process has this id: Linux lists every process in /proc. When in doubt — no
/// /proc mounted, or another platform — it is not gone, and the file stays.
#[cfg(target_os = "linux")]
fn process_is_gone(pid: u32) -> bool {
    let proc = Path::new("/proc");
    proc.join("self").exists() && pid > 0 && !proc.join(pid.to_string()).exists()
}

#[cfg(not(target_os = "linux"))]
fn process_is_gone(_pid: u32) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh empty folder for one test.
    fn folder(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("descent-atomic-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_failed_write_keeps_the_old_file() {
        let dir = folder("failed");
        let path = dir.join("data.csv");
        write_atomically(&path, |w| w.write_all(b"old")).unwrap();
        let failed = write_atomically(&path, |w| {
            w.write_all(b"partial")?;
            Err::<(), _>(io::Error::other("disk full"))
        });
        assert!(failed.is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(
            fs::read_dir(&dir).unwrap().count(),
            1,
            "temporary file left behind"
        );
        write_atomically(&path, |w| w.write_all(b"new")).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_254_byte_name_gets_a_temporary_name_that_fits() {
        let dir = folder("long");
        let name = format!("{}.csv", "é".repeat(125)); // 250 + 4 bytes
        assert_eq!(name.len(), 254);
        let path = dir.join(&name);
        let tmp = temporary_path(&path, u32::MAX);
        assert!(tmp.file_name().unwrap().len() <= NAME_MAX, "{tmp:?}");
        write_atomically(&path, |w| w.write_all(b"long")).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "long");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_stale_temporary_of_a_dead_process_is_removed_and_nothing_else() {
        let dir = folder("stale");
        let path = dir.join("run.csv");
        // A child that has exited and been waited for: its PID names no process.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let stale = temporary_path(&path, dead);
        let live = temporary_path(&path, 1); // init: always running
        let other = dir.join(format!(".run.csv.{dead}.tmp.keep"));
        let foreign = dir.join(format!(".other.csv.{dead}.tmp"));
        for p in [&stale, &live, &other, &foreign] {
            fs::write(p, "x").unwrap();
        }
        if !process_is_gone(dead) {
            return; // not Linux: stale files are never judged dead, so nothing to check
        }
        write_atomically(&path, |w| w.write_all(b"ok")).unwrap();
        assert!(!stale.exists(), "stale temporary kept");
        for p in [&live, &other, &foreign] {
            assert!(p.exists(), "{p:?} removed");
        }
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    mod unix {
        use super::*;
        use std::os::unix::fs::{FileTypeExt, PermissionsExt, symlink};

        #[test]
        fn the_mode_of_the_file_replaced_is_kept() {
            let dir = folder("mode");
            let path = dir.join("secret.csv");
            fs::write(&path, "old").unwrap();
            fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
            write_atomically(&path, |w| w.write_all(b"new")).unwrap();
            assert_eq!(fs::read_to_string(&path).unwrap(), "new");
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
            fs::remove_dir_all(&dir).unwrap();
        }

        #[test]
        fn a_symlink_stays_and_its_target_is_replaced() {
            let dir = folder("link");
            fs::create_dir(dir.join("real")).unwrap();
            let target = dir.join("real/out.csv");
            fs::write(&target, "old").unwrap();
            let link = dir.join("link.csv");
            symlink("real/out.csv", &link).unwrap();
            let hop = dir.join("hop.csv");
            symlink("link.csv", &hop).unwrap();
            write_atomically(&hop, |w| w.write_all(b"new")).unwrap();
            for l in [&link, &hop] {
                assert!(fs::symlink_metadata(l).unwrap().file_type().is_symlink());
            }
            assert_eq!(fs::read_to_string(&target).unwrap(), "new");
            // A dangling link creates its target.
            let dangling = dir.join("dangling.csv");
            symlink("real/new.csv", &dangling).unwrap();
            write_atomically(&dangling, |w| w.write_all(b"made")).unwrap();
            assert!(
                fs::symlink_metadata(&dangling)
                    .unwrap()
                    .file_type()
                    .is_symlink()
            );
            assert_eq!(
                fs::read_to_string(dir.join("real/new.csv")).unwrap(),
                "made"
            );
            fs::remove_dir_all(&dir).unwrap();
        }

        #[test]
        fn a_fifo_is_written_through_not_replaced() {
            let dir = folder("fifo");
            let fifo = dir.join("pipe");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            assert!(made.unwrap().success());
            let reader = {
                let fifo = fifo.clone();
                std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
            };
            write_atomically(&fifo, |w| w.write_all(b"through the pipe")).unwrap();
            assert_eq!(reader.join().unwrap(), "through the pipe");
            assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
            assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
            fs::remove_dir_all(&dir).unwrap();
        }

        #[test]
        fn dev_null_stays_a_character_device() {
            use std::os::unix::fs::MetadataExt;
            if fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0) {
                // As root a regression would replace the machine's /dev/null: the FIFO test
                // covers the same path there.
                return;
            }
            let null = Path::new("/dev/null");
            write_atomically(null, |w| w.write_all(b"gone")).unwrap();
            assert!(fs::metadata(null).unwrap().file_type().is_char_device());
        }
    }
}
