//! A network scene: `surface` names a model (`mlp:hidden=16x16,activation=tanh`) trained on
//! `data`, with the fields only a network has — `init`, `test`, `loss`, and the slice the
//! map shows (`plane`, `racer`). It becomes a [`TrainSpec`] (what `descent train` runs) and
//! a [`SliceSpec`] (what `descent landscape` slices); racers, lr scale, schedule, noise,
//! batch, shuffle, steps and seed mean what they mean in the plane.

use super::{Field, MAX_RECORDS, Scene};
use crate::data::Table;
use crate::net::{Init, Mlp, ModelSpec, Network, names_a_model};
use crate::slice::{MAX_PATH_NUMBERS, PlaneKind};
use crate::spec::{SpecError, spec_err};
use crate::train::TrainSpec;
use crate::train::slice::SliceSpec;

/// The data of a network scene that names none.
pub const DEFAULT_NETWORK_DATA: &str = "moons";

/// Grid values per side of the slice a network scene's picture shows.
pub const SLICE_GRID: usize = 65;

impl Scene {
    /// Whether this scene trains a network (its surface is a model spec such as `mlp:…`)
    /// rather than racing on a surface of the plane.
    pub fn is_network(&self) -> bool {
        names_a_model(&self.surface)
    }

    /// The training this network scene runs: its enabled racers (each lr × `lr_scale`), and
    /// the index in `racers` of each.
    pub fn train_spec(&self) -> Result<(TrainSpec, Vec<usize>), SpecError> {
        if !self.is_network() {
            return Err(spec_err!(
                "surface '{}' is not a network model (mlp:…): its scene is a race in the plane",
                self.surface
            ));
        }
        let (optimizers, _, indices) = self.enabled_racers()?;
        let mut inits: Vec<Option<String>> = indices
            .iter()
            .map(|&i| self.racers[i].init.clone())
            .collect();
        if inits.iter().all(Option::is_none) {
            inits.clear();
        }
        let spec = TrainSpec {
            model: self.surface.trim().to_string(),
            data: self.network_data().to_string(),
            loss: self.loss.clone(),
            init: self.init.clone().unwrap_or_else(|| "torch".into()),
            inits,
            seed: self.seed,
            optimizers,
            steps: self.steps,
            batch: self.batch,
            shuffle: self.shuffle,
            schedule: self.schedule.clone(),
            noise: self.noise,
            test: self.test,
        };
        Ok((spec, indices))
    }

    /// The dataset a network scene trains on.
    pub fn network_data(&self) -> &str {
        self.data.as_deref().unwrap_or(DEFAULT_NETWORK_DATA)
    }

    /// The slice of the landscape the map shows: the scene's plane (PCA by default) with
    /// `grid` values per side, stretched to `aspect` (width / height) when given.
    pub fn slice_spec(&self, grid: usize, aspect: Option<f64>) -> Result<SliceSpec, SpecError> {
        let plane = match &self.plane {
            Some(text) => PlaneKind::parse(text)?,
            None => PlaneKind::Pca,
        };
        let (_, _, indices) = self.enabled_racers()?;
        let run = indices.iter().position(|&i| i == self.racer);
        let racer = match (plane, run) {
            (_, Some(run)) => run,
            (PlaneKind::Pca, None) => 0,
            (_, None) => {
                return Err(spec_err!(
                    "racer {} anchors the {} slice, but {}: choose an enabled racer \
                     (0 ..= {})",
                    self.racer,
                    plane.name(),
                    if self.racer < self.racers.len() {
                        "it is disabled"
                    } else {
                        "there is no such racer"
                    },
                    self.racers.len().saturating_sub(1)
                ));
            }
        };
        Ok(SliceSpec {
            plane,
            racer,
            grid,
            span: None,
            seed: self.seed,
            aspect,
        })
    }

    /// A network scene's own checks, each error naming its field: the model, data, loss,
    /// init and test split, the fields that mean nothing for a network, the slice, and the
    /// training itself (every racer takes this many parameters).
    pub(super) fn check_network(&self) -> Result<(), (Field, SpecError)> {
        let key = |k| move |e: SpecError| (Field::Key(k), e);
        self.check_planar_fields_unset()?;
        let table = Table::parse(self.network_data()).map_err(key("data"))?;
        Network::from_specs(&self.surface, self.loss.as_deref(), table.into())
            .map_err(key("surface"))?;
        if let Some(init) = &self.init {
            Init::parse(init).map_err(key("init"))?;
        }
        for (i, racer) in self.racers.iter().enumerate() {
            if let Some(init) = &racer.init {
                Init::parse(init)
                    .map_err(|e| (Field::Racer(i), spec_err!("racer {}'s init: {e}", i + 1)))?;
            }
        }
        self.slice_spec(SLICE_GRID, None).map_err(key("plane"))?;
        let (spec, _) = self.train_spec().map_err(key("racers"))?;
        spec.build().map_err(key("racers"))?;
        Ok(())
    }

    /// The fields of a race in the plane that a network scene cannot use.
    fn check_planar_fields_unset(&self) -> Result<(), (Field, SpecError)> {
        // `start` is not among them: every scene has one by default; a network ignores it.
        let planar: [(&'static str, bool, &str); 3] = [
            (
                "view",
                self.view.is_some(),
                "the map shows the slice's own span",
            ),
            (
                "map",
                self.map.is_some(),
                "maps over many runs are for the plane",
            ),
            (
                "racers",
                self.racers.iter().any(|r| r.schedule.is_some()),
                "a racer's own schedule is for races in the plane; use the scene's",
            ),
        ];
        match planar.into_iter().find(|(_, set, _)| *set) {
            Some((name, _, why)) => Err((
                Field::Key(name),
                spec_err!("a network scene takes no {name}: {why}"),
            )),
            None => Ok(()),
        }
    }

    /// On a surface of the plane: none of the network's own fields.
    pub(super) fn check_network_fields_unset(&self) -> Result<(), (Field, SpecError)> {
        let set: [(&'static str, bool); 6] = [
            ("init", self.init.is_some()),
            ("init", self.racers.iter().any(|r| r.init.is_some())),
            ("test", self.test.is_some()),
            ("loss", self.loss.is_some()),
            ("plane", self.plane.is_some()),
            ("racer", self.racer != 0),
        ];
        match set.into_iter().find(|(_, set)| *set) {
            Some((name, _)) => Err((
                Field::Key(name),
                spec_err!(
                    "{name} is for a network scene (surface mlp:…); surface '{}' is a surface \
                     of the plane",
                    self.surface
                ),
            )),
            None => Ok(()),
        }
    }

    /// Whether the app, `descent render` and `descent landscape`, which keep every racer's
    /// parameters at every step, may hold this training: at most [`MAX_PATH_NUMBERS`]
    /// numbers (and [`MAX_RECORDS`] records).
    pub(super) fn check_network_records(&self) -> Result<(), (Field, SpecError)> {
        let runs = self.racers.iter().filter(|r| r.enabled).count() as u64;
        let records = runs.saturating_mul(self.steps.saturating_add(1));
        let parameters = ModelSpec::parse(&self.surface)
            .and_then(|m| {
                let table = Table::parse(self.network_data())?;
                Mlp::new(&m, table.dims, table.outputs())
            })
            .map_or(0, |mlp| mlp.parameter_count() as u64);
        let numbers = records.saturating_mul(parameters);
        let (by_records, by_numbers) = (
            MAX_RECORDS / runs.max(1),
            MAX_PATH_NUMBERS as u64 / (runs * parameters).max(1),
        );
        let over = if records > MAX_RECORDS {
            format!("keep {records} records, more than the {MAX_RECORDS}")
        } else if numbers > MAX_PATH_NUMBERS as u64 {
            format!(
                "× {parameters} parameters keep {numbers} numbers, more than the {MAX_PATH_NUMBERS}"
            )
        } else {
            return Ok(());
        };
        Err((
            Field::Key("steps"),
            spec_err!(
                "{runs} racers × {} steps {over} a network scene may hold: use fewer steps (at \
                 most {}), racers or weights ('descent train' streams any number)",
                self.steps,
                by_records.min(by_numbers).saturating_sub(1)
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::Racer;

    fn network() -> Scene {
        Scene {
            surface: "mlp:hidden=8".into(),
            data: Some("moons:n=60".into()),
            racers: vec![
                Racer::new("gd:lr=0.1"),
                Racer::new("momentum:lr=0.05"),
                Racer::new("adam:lr=0.01"),
            ],
            steps: 20,
            ..Scene::default()
        }
    }

    #[test]
    fn a_network_scene_becomes_the_training_descent_train_runs() {
        let mut scene = network();
        scene.lr_scale = 2.0;
        scene.racers[1].enabled = false;
        scene.init = Some("he".into());
        scene.test = Some(0.25);
        let (spec, indices) = scene.train_spec().unwrap();
        assert_eq!(indices, [0, 2]);
        assert_eq!(spec.optimizers, ["gd:lr=0.2", "adam:lr=0.02"]);
        assert_eq!((spec.init.as_str(), spec.test), ("he", Some(0.25)));
        assert_eq!(spec.data, "moons:n=60");
        assert!(spec.build().is_ok());
        assert!(scene.race_spec().unwrap_err().0.contains("is a network"));
        // The fields a plane's scene never writes stay out of its RON.
        let ron = Scene::default().to_ron();
        assert!(!ron.contains("init:") && !ron.contains("racer:"), "{ron}");
        assert_eq!(Scene::from_ron(&scene.to_ron(), "x.ron").unwrap(), scene);
    }

    #[test]
    fn a_racer_may_start_from_its_own_init() {
        let mut scene = network();
        scene.racers[1].init = Some("zeros".into());
        let (spec, _) = scene.train_spec().unwrap();
        assert_eq!(spec.inits, [None, Some("zeros".into()), None]);
        let training = spec.build().unwrap();
        assert!(training.start_of(1).iter().all(|&v| v == 0.0));
        assert_eq!(training.start_of(0), training.start_of(2));
        assert_ne!(training.start_of(0), training.start_of(1));
        scene.racers[1].init = Some("glorot".into());
        let err = scene.check().unwrap_err().1;
        assert!(err.0.starts_with("racer 2's init: "), "{err}");
        let plane = Scene {
            racers: vec![Racer {
                init: Some("he".into()),
                ..Racer::new("gd")
            }],
            ..Scene::default()
        };
        let err = plane.check().unwrap_err().1;
        assert!(err.0.starts_with("init is for a network scene"), "{err}");
    }

    #[test]
    fn the_slice_racer_counts_in_racers_and_must_be_enabled() {
        let mut scene = network();
        scene.plane = Some("line".into());
        scene.racer = 2;
        scene.racers[1].enabled = false;
        let spec = scene.slice_spec(17, None).unwrap();
        assert_eq!((spec.plane, spec.racer), (PlaneKind::Line, 1));
        scene.racer = 1;
        let err = scene.slice_spec(17, None).unwrap_err();
        assert!(err.0.contains("it is disabled"), "{err}");
        scene.plane = Some("diagonal".into());
        let err = scene.slice_spec(17, None).unwrap_err();
        assert_eq!(err.0, "plane must be pca, random or line, got 'diagonal'");
    }

    #[test]
    fn each_mistake_names_its_field_and_line() {
        let text = "(\n  surface: \"mlp:hidden=8\",\n  data: Some(\"moons:n=60\"),\n  init: Some(\"glorot\"),\n)";
        let err = Scene::from_ron(text, "x.ron").unwrap_err();
        assert!(err.0.starts_with("x.ron:4:3: "), "{err}");
        let text = "(\n  surface: \"mlp:hidden=8x0\",\n  data: Some(\"moons\"),\n)";
        let err = Scene::from_ron(text, "x.ron").unwrap_err();
        assert!(err.0.starts_with("x.ron:2:3: "), "{err}");
        let text = "(\n  surface: \"rosenbrock\",\n  test: Some(0.2),\n)";
        let err = Scene::from_ron(text, "x.ron").unwrap_err();
        assert!(
            err.0.starts_with("x.ron:3:3: test is for a network scene"),
            "{err}"
        );
        let text = "(\n  surface: \"mlp\",\n  view: Some((x: (-1, 1), y: (-1, 1))),\n)";
        let err = Scene::from_ron(text, "x.ron").unwrap_err();
        assert!(err.0.contains("a network scene takes no view"), "{err}");
    }

    #[test]
    fn a_training_too_large_to_keep_is_refused_before_any_step() {
        let scene = Scene {
            surface: "mlp:hidden=256x256".into(),
            steps: 100_000,
            ..network()
        };
        let (field, err) = scene.check().unwrap_err();
        assert_eq!(field, Field::Key("steps"));
        assert!(err.0.contains("numbers, more than"), "{err}");
        // `descent run` streams, so only the fields are checked.
        assert!(scene.check_fields().is_ok());
    }
}
