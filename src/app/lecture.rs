//! The lecture flow: PageDown / PageUp step to the next / previous built-in preset, or scene of
//! an open lecture, so a teacher runs a lecture from one window (a presentation clicker sends
//! these keys); the window title says where the teacher is ("scene 2 of 7"). The keys work in
//! and out of presentation mode.

use egui::{Key, Modifiers, ViewportCommand};

use super::DescentApp;
use super::state::{Place, Sequence};
use crate::lecture::Lecture;
use crate::presets::PRESETS;
use crate::scene::Scene;

/// Which built-in preset `scene` is, if it is one. Only the presets whose text holds the
/// scene's title are parsed (usually one), so loading any scene stays cheap.
fn preset_index(scene: &Scene) -> Option<usize> {
    PRESETS.iter().position(|(name, text)| {
        text.contains(scene.title.as_str())
            && crate::presets::load(name).is_ok_and(|preset| preset == *scene)
    })
}

/// The window title for a place: "Descent — TITLE — scene k of n", or plain "Descent".
fn window_title(place: Option<&Place>) -> String {
    match place {
        Some(Place { sequence, index }) => format!(
            "Descent — {} — scene {} of {}",
            sequence.title(),
            index + 1,
            sequence.len()
        ),
        None => "Descent".into(),
    }
}

impl DescentApp {
    /// After a whole scene was loaded: a built-in preset puts the place on it, any other
    /// scene leaves the sequence (an opened scene leaves the lecture).
    pub(super) fn follow_presets(&mut self) {
        let index = preset_index(&self.state.saved.scene);
        self.state.ui.stepping.place = index.map(|index| Place {
            sequence: Sequence::Presets,
            index,
        });
    }

    /// The place on the first frame: the lecture `opened` names, when its first scene is the
    /// one shown; else the preset shown, if it is one.
    pub(super) fn start_place(&mut self, opened: Option<(Lecture, Scene)>) {
        self.follow_presets();
        if let Some((lecture, first)) = opened
            && first == self.state.saved.scene
        {
            self.state.ui.stepping.place = Some(Place {
                sequence: Sequence::Lecture(lecture),
                index: 0,
            });
        }
    }

    /// Enter `lecture` (read from the file `origin`) at its first scene, already read. A
    /// first scene whose race does not build leaves the current scene and says why.
    pub(super) fn enter_lecture(&mut self, lecture: Lecture, first: Scene, origin: &str) {
        let n = lecture.len();
        let path = lecture.scenes.first().map(|p| p.display().to_string());
        let scene_origin = format!("scene 1 of {n}: {}", path.unwrap_or_default());
        if self.load_scene(first, &scene_origin) {
            self.state.ui.status = Some(format!("opened the lecture {origin}: scene 1 of {n}"));
            self.state.ui.stepping.place = Some(Place {
                sequence: Sequence::Lecture(lecture),
                index: 0,
            });
        }
    }

    /// PageDown / PageUp (the caller checked no text field is being typed into).
    pub(super) fn stepping_keys(&mut self, ctx: &egui::Context) {
        let pressed = |key| ctx.input_mut(|i| i.consume_key(Modifiers::NONE, key));
        if pressed(Key::PageDown) {
            self.step_scene(true);
        }
        if pressed(Key::PageUp) {
            self.step_scene(false);
        }
    }

    /// Go to the next (`forward`) or previous scene of the sequence, clamped at its ends
    /// (there nothing happens); from no sequence, forward goes to the first preset.
    pub(super) fn step_scene(&mut self, forward: bool) {
        let place = self.state.ui.stepping.place.as_ref();
        let (sequence, index) = match place {
            Some(Place { sequence, index }) => {
                let next = if forward {
                    (index + 1).min(sequence.len().saturating_sub(1))
                } else {
                    index.saturating_sub(1)
                };
                if next == *index {
                    return;
                }
                (sequence.clone(), next)
            }
            None if forward => (Sequence::Presets, 0),
            None => return,
        };
        self.go_to(sequence, index);
    }

    /// Show scene `index` of `sequence`. The place moves there even when the scene cannot be
    /// shown: its one-line error says why, the current scene stays, and the next key goes
    /// past it.
    fn go_to(&mut self, sequence: Sequence, index: usize) {
        let n = sequence.len();
        let (loaded, origin) = match &sequence {
            Sequence::Presets => {
                let name = PRESETS.get(index).map_or("", |(name, _)| name);
                (crate::presets::load(name), format!("preset {name}"))
            }
            Sequence::Lecture(lecture) => {
                let path = lecture.scenes.get(index);
                let origin = path.map_or_else(String::new, |p| p.display().to_string());
                (lecture.scene(index), origin)
            }
        };
        let origin = format!("scene {} of {n}: {origin}", index + 1);
        let shown = match loaded {
            Ok(scene) => self.load_scene(scene, &origin),
            Err(e) => {
                self.state.ui.error = Some(format!("scene {} of {n}: {e}", index + 1));
                false
            }
        };
        if !shown {
            self.state.ui.status = None;
        }
        self.state.ui.stepping.place = Some(Place { sequence, index });
    }

    /// Send the window title when it changed (never every frame).
    pub(super) fn update_title(&mut self, ctx: &egui::Context) {
        let title = window_title(self.state.ui.stepping.place.as_ref());
        if title != self.state.ui.stepping.title {
            ctx.send_viewport_cmd(ViewportCommand::Title(title.clone()));
            self.state.ui.stepping.title = title;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_names_the_sequence_and_the_place() {
        assert_eq!(window_title(None), "Descent");
        let place = Place {
            sequence: Sequence::Presets,
            index: 4,
        };
        let n = crate::presets::PRESETS.len();
        assert_eq!(
            window_title(Some(&place)),
            format!("Descent — presets — scene 5 of {n}")
        );
        let lecture = Lecture {
            title: "Optimizers, week 3".into(),
            scenes: vec!["a.ron".into(); 7],
        };
        let place = Place {
            sequence: Sequence::Lecture(lecture),
            index: 1,
        };
        assert_eq!(
            window_title(Some(&place)),
            "Descent — Optimizers, week 3 — scene 2 of 7"
        );
    }

    #[test]
    fn every_preset_is_known_by_its_scene() {
        for (i, (name, _)) in PRESETS.iter().enumerate() {
            assert_eq!(preset_index(&crate::presets::load(name).unwrap()), Some(i));
        }
        assert_eq!(preset_index(&Scene::default()), None);
    }
}
