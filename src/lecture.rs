//! A lecture: a title and the teacher's own scene files in order, which the app steps through
//! with PageDown / PageUp (what presentation clickers send). A lecture is a RON file opened
//! like a scene (File ▸ Open, dropped on the window, `descent LECTURE.ron`):
//!
//! ```ron
//! Lecture(
//!     title: "Optimizers, week 3",
//!     scenes: ["01-lr.ron", "my/canyon.ron"],
//! )
//! ```
//!
//! The `Lecture` name is optional, as RON allows; relative scene paths are read from the
//! lecture file's folder. [`open`] tells a lecture from a scene, so "open a .ron" opens
//! either. Every error is one line naming FILE:LINE:COL, or the scene file, and what is
//! accepted.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::scene::{Field, Scene, locate};
use crate::spec::{SpecError, spec_err};

/// The most scenes a lecture may list.
pub const MAX_SCENES: usize = 200;

/// The longest title, in characters (it is shown in the window's title bar).
pub const MAX_TITLE_CHARS: usize = 200;

/// The largest lecture file read, in bytes: far above [`MAX_SCENES`] paths. A larger file is
/// refused after reading this much of it.
pub const MAX_LECTURE_BYTES: usize = 256 << 10;

/// A title and the scene files of a lecture, in the order they are shown. Made by
/// [`Lecture::from_ron`] or [`Lecture::load`], which check it: 1 ..= [`MAX_SCENES`] scenes, a
/// one-line title, relative paths resolved against the lecture file's folder.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lecture {
    /// What the lecture is called (shown in the window title beside "scene k of n").
    pub title: String,
    /// The scene files, in order.
    pub scenes: Vec<PathBuf>,
}

/// What a `.ron` file opened like a scene holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Opened {
    /// A scene file.
    Scene(Box<Scene>),
    /// A lecture, with its first scene already read.
    Lecture(Lecture, Box<Scene>),
}

impl Lecture {
    /// Parse and check a lecture from RON text; `origin` (the file's name) starts every error,
    /// then the line and column and what is accepted. Relative scene paths are joined to
    /// `folder` (the lecture file's folder).
    pub fn from_ron(text: &str, origin: &str, folder: &Path) -> Result<Self, SpecError> {
        // A byte-order mark, as some editors write at the start of UTF-8 files, is no content.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut lecture: Lecture = ron::from_str(text).map_err(|e| {
            let at = e.span.start;
            spec_err!(
                "{origin}:{}:{}: {} (a lecture is Lecture(title: \"…\", scenes: [\"a.ron\", …]))",
                at.line,
                at.col,
                e.code
            )
        })?;
        if let Err((key, e)) = lecture.check() {
            let (line, col) = locate(text, Field::Key(key));
            return Err(spec_err!("{origin}:{line}:{col}: {e}"));
        }
        for path in &mut lecture.scenes {
            if path.is_relative() {
                *path = folder.join(&*path);
            }
        }
        Ok(lecture)
    }

    /// Read and check a lecture file (at most [`MAX_LECTURE_BYTES`] of it).
    pub fn load(path: &Path) -> Result<Self, SpecError> {
        let bytes = read_head(path, MAX_LECTURE_BYTES + 1)?;
        lecture_from_bytes(path, bytes)
    }

    /// The title, then every scene path: the field the first broken rule is about.
    fn check(&self) -> Result<(), (&'static str, SpecError)> {
        let chars = self.title.chars().count();
        if self.title.trim().is_empty()
            || chars > MAX_TITLE_CHARS
            || self.title.chars().any(char::is_control)
        {
            return Err((
                "title",
                spec_err!(
                    "title must be one line of 1 ..= {MAX_TITLE_CHARS} characters, not blank, \
                     got {:?}",
                    self.title
                ),
            ));
        }
        if !(1..=MAX_SCENES).contains(&self.scenes.len()) {
            return Err((
                "scenes",
                spec_err!(
                    "scenes must list 1 ..= {MAX_SCENES} scene files, got {}",
                    self.scenes.len()
                ),
            ));
        }
        if let Some(i) = self.scenes.iter().position(|p| p.as_os_str().is_empty()) {
            return Err((
                "scenes",
                spec_err!(
                    "scene {} is an empty path: each entry is a scene file's path, relative to \
                     the lecture's folder or absolute",
                    i + 1
                ),
            ));
        }
        Ok(())
    }

    /// How many scenes the lecture lists.
    pub fn len(&self) -> usize {
        self.scenes.len()
    }

    /// Whether the lecture lists no scene (never, once checked).
    pub fn is_empty(&self) -> bool {
        self.scenes.is_empty()
    }

    /// Read and check the scene at `index` (0-based) with [`Scene::load`]; the error names the
    /// scene file (a missing one, a broken one, or a lecture listed as a scene).
    pub fn scene(&self, index: usize) -> Result<Scene, SpecError> {
        let path = self.scenes.get(index).ok_or_else(|| {
            spec_err!(
                "{}: no scene {} (the lecture lists {})",
                self.title,
                index + 1,
                self.len()
            )
        })?;
        let head = read_head(path, MAX_LECTURE_BYTES + 1)?;
        if is_lecture(&String::from_utf8_lossy(&head)) {
            return Err(spec_err!(
                "{}: is a lecture, not a scene: a lecture lists scene files only",
                path.display()
            ));
        }
        Scene::load(path)
    }
}

/// Whether RON `text` is a lecture rather than a scene: it is written `Lecture(…)`, or has a
/// `scenes:` key (outside strings and `//` comments), which no scene has.
pub fn is_lecture(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let code = text
        .lines()
        .map(str::trim_start)
        .find(|line| !line.is_empty() && !line.starts_with("//"))
        .unwrap_or_default();
    let named = code
        .strip_prefix("Lecture")
        .is_some_and(|rest| rest.trim_start().starts_with('(') || rest.is_empty());
    let (line, col) = locate(text, Field::Key("scenes"));
    // `locate` answers 1:1 for a missing key: look whether the key is really there.
    let keyed = text.lines().nth(line - 1).is_some_and(|l| {
        let rest: String = l.chars().skip(col - 1).collect();
        rest.starts_with("scenes")
    });
    named || keyed
}

/// Open a `.ron` file the app was given: a lecture (checked, with its first scene read: an
/// error there names the lecture, then the scene file) or a scene ([`Scene::load`]). A
/// lecture is refused before more than [`MAX_LECTURE_BYTES`] of it are read.
pub fn open(path: &Path) -> Result<Opened, SpecError> {
    let head = read_head(path, MAX_LECTURE_BYTES + 1)?;
    if !is_lecture(&String::from_utf8_lossy(&head)) {
        return Ok(Opened::Scene(Box::new(Scene::load(path)?)));
    }
    let lecture = lecture_from_bytes(path, head)?;
    let first = lecture.scene(0).map_err(|e| {
        let n = lecture.len();
        spec_err!("{}: scene 1 of {n}: {e}", path.display())
    })?;
    Ok(Opened::Lecture(lecture, Box::new(first)))
}

/// A lecture from the first bytes of its file (at most one past the limit were read).
fn lecture_from_bytes(path: &Path, bytes: Vec<u8>) -> Result<Lecture, SpecError> {
    let origin = path.display().to_string();
    if bytes.len() > MAX_LECTURE_BYTES {
        return Err(spec_err!(
            "{origin}: larger than {} KiB, the most a lecture file may be (a title and up to \
             {MAX_SCENES} scene paths)",
            MAX_LECTURE_BYTES >> 10
        ));
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| spec_err!("cannot read {origin}: the file is not UTF-8 text"))?;
    let folder = path.parent().unwrap_or(Path::new(""));
    Lecture::from_ron(&text, &origin, folder)
}

/// At most `limit` bytes from the start of the file at `path`.
fn read_head(path: &Path, limit: usize) -> Result<Vec<u8>, SpecError> {
    let cannot = |e: std::io::Error| spec_err!("cannot read {}: {e}", path.display());
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::new();
    file.take(limit as u64)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh folder for one test.
    fn scratch(test: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("descent-lecture-{}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn parse(text: &str) -> Result<Lecture, SpecError> {
        Lecture::from_ron(text, "week3.ron", Path::new("/talks"))
    }

    #[test]
    fn parses_with_or_without_the_name_and_resolves_relative_paths() {
        let named = parse(
            "// week 3\nLecture(title: \"Optimizers, week 3\", scenes: [\"01-lr.ron\", \
             \"my/canyon.ron\", \"/abs/x.ron\"])",
        )
        .unwrap();
        assert_eq!(named.title, "Optimizers, week 3");
        assert_eq!(
            named.scenes,
            [
                PathBuf::from("/talks/01-lr.ron"),
                PathBuf::from("/talks/my/canyon.ron"),
                PathBuf::from("/abs/x.ron"),
            ]
        );
        let bare = parse("(title: \"t\", scenes: [\"a.ron\"])").unwrap();
        assert_eq!(bare.scenes, [PathBuf::from("/talks/a.ron")]);
        assert_eq!(bare.len(), 1);
    }

    #[test]
    fn an_empty_list_is_refused_at_its_key() {
        let e = parse("Lecture(\n  title: \"t\",\n  scenes: [],\n)").unwrap_err();
        assert_eq!(
            e.0,
            "week3.ron:3:3: scenes must list 1 ..= 200 scene files, got 0"
        );
        let many = format!("(title: \"t\", scenes: [{}])", "\"a.ron\",".repeat(201));
        assert!(parse(&many).unwrap_err().0.contains("got 201"));
        let blank = parse("(title: \"t\", scenes: [\"a.ron\", \"\"])").unwrap_err();
        assert!(blank.0.contains("scene 2 is an empty path"), "{blank}");
    }

    #[test]
    fn an_unknown_field_or_a_bad_title_is_located_on_one_line() {
        let e = parse("Lecture(\n  title: \"t\",\n  scene: [\"a.ron\"],\n)").unwrap_err();
        assert!(e.0.starts_with("week3.ron:3:3: "), "{e}");
        assert!(e.0.contains("scene") && e.0.contains("scenes"), "{e}");
        assert!(!e.0.contains('\n'));
        let e = parse("(title: \"two\\nlines\", scenes: [\"a.ron\"])").unwrap_err();
        assert!(
            e.0.starts_with("week3.ron:1:2: title must be one line"),
            "{e}"
        );
        assert!(!e.0.contains('\n'));
        let e = parse("Scene(title: \"t\", scenes: [\"a.ron\"])").unwrap_err();
        assert!(e.0.starts_with("week3.ron:1:"), "{e}");
        let e = parse("(title: \"t\")").unwrap_err();
        assert!(e.0.contains("scenes"), "{e}");
    }

    #[test]
    fn lectures_are_told_from_scenes() {
        for (name, text) in crate::presets::PRESETS {
            assert!(!is_lecture(text), "{name}");
        }
        assert!(is_lecture("Lecture(title: \"t\", scenes: [])"));
        assert!(is_lecture("// c\n  Lecture (\n)"));
        assert!(is_lecture("(\n  title: \"t\",\n  scenes: [\"a.ron\"],\n)"));
        assert!(is_lecture("(scenes: [\"a.ron\"])"));
        assert!(!is_lecture("(title: \"scenes: none\")"));
        assert!(!is_lecture("(title: \"t\") // scenes: none"));
    }

    #[test]
    fn a_missing_scene_is_named_when_it_is_loaded() {
        let dir = scratch("missing");
        std::fs::write(dir.join("a.ron"), crate::presets::PRESETS[0].1).unwrap();
        let file = dir.join("talk.ron");
        std::fs::write(&file, "(title: \"t\", scenes: [\"a.ron\", \"gone.ron\"])").unwrap();
        let lecture = Lecture::load(&file).unwrap();
        assert_eq!(lecture.scene(0).unwrap().steps, 60);
        let e = lecture.scene(1).unwrap_err();
        let gone = dir.join("gone.ron");
        assert!(
            e.0.starts_with(&format!("cannot read {}", gone.display())),
            "{e}"
        );
        assert!(lecture.scene(2).unwrap_err().0.contains("no scene 3"));
    }

    #[test]
    fn open_gives_a_scene_or_a_lecture_with_its_first_scene() {
        let dir = scratch("open");
        let (name, text) = crate::presets::PRESETS[1];
        std::fs::write(dir.join(name), text).unwrap();
        let scene = crate::presets::load(name).unwrap();
        let opened = open(&dir.join(name)).unwrap();
        assert_eq!(opened, Opened::Scene(Box::new(scene.clone())));
        let file = dir.join("talk.ron");
        std::fs::write(
            &file,
            format!("Lecture(title: \"t\", scenes: [\"{name}\"])"),
        )
        .unwrap();
        match open(&file).unwrap() {
            Opened::Lecture(lecture, first) => {
                assert_eq!((lecture.len(), *first), (1, scene));
            }
            Opened::Scene(_) => panic!("a lecture opened as a scene"),
        }
        // A lecture listing itself is refused, not followed.
        std::fs::write(&file, "(title: \"loop\", scenes: [\"talk.ron\"])").unwrap();
        let e = open(&file).unwrap_err();
        assert!(e.0.contains("is a lecture, not a scene"), "{e}");
        // A broken first scene refuses the lecture, naming the scene file.
        std::fs::write(dir.join("bad.ron"), "(\n  steps: 0,\n)").unwrap();
        std::fs::write(&file, "(title: \"t\", scenes: [\"bad.ron\"])").unwrap();
        let e = open(&file).unwrap_err();
        let expected = format!(
            "{}: scene 1 of 1: {}",
            file.display(),
            dir.join("bad.ron:2:3: steps must be").display()
        );
        assert!(e.0.starts_with(&expected), "{e}");
    }

    #[test]
    fn a_large_lecture_is_refused_after_reading_its_limit() {
        let dir = scratch("large");
        let file = dir.join("big.ron");
        let padding = "// padding\n".repeat(MAX_LECTURE_BYTES / 8);
        std::fs::write(
            &file,
            format!("(title: \"t\", scenes: [\"a.ron\"])\n{padding}"),
        )
        .unwrap();
        let e = open(&file).unwrap_err();
        assert!(e.0.contains("larger than 256 KiB"), "{e}");
        assert!(Lecture::load(&file).is_err());
    }

    #[test]
    fn the_readmes_lecture_parses() {
        let readme = include_str!("../README.md");
        let start = readme.find("  Lecture(").unwrap();
        let end = start + readme[start..].find("```").unwrap();
        let lecture = parse(&readme[start..end]).unwrap();
        assert_eq!(lecture.title, "Optimizers, week 3");
        assert_eq!(lecture.len(), 3);
    }

    #[test]
    fn the_example_lecture_loads_every_scene() {
        let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("lectures/example.ron");
        let lecture = Lecture::load(&file).unwrap();
        assert!(lecture.len() >= 3);
        for i in 0..lecture.len() {
            lecture.scene(i).unwrap();
        }
    }
}
