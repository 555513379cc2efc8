use super::*;

fn table(spec: &str) -> Table {
    Table::parse(spec).unwrap_or_else(|e| panic!("{spec}: {e}"))
}

fn labels(t: &Table) -> (&[usize], usize) {
    match &t.targets {
        Targets::Classes { labels, classes } => (labels, *classes),
        Targets::Values(_) => panic!("{}: not classes", t.spec),
    }
}

/// Points per class.
fn counts(t: &Table) -> Vec<usize> {
    let (labels, k) = labels(t);
    (0..k)
        .map(|c| labels.iter().filter(|&&l| l == c).count())
        .collect()
}

/// The points of class `c`.
fn class(t: &Table, c: usize) -> Vec<&[f64]> {
    let (labels, _) = labels(t);
    (0..t.len())
        .filter(|&i| labels[i] == c)
        .map(|i| t.row(i))
        .collect()
}

#[test]
fn same_spec_same_points_other_seed_other_points() {
    for entry in TABLES {
        let a = table(entry.name);
        assert_eq!(a, table(entry.name), "{}", entry.name);
        assert_eq!(a.spec, entry.name);
        let b = table(&format!("{}:seed=1", entry.name));
        assert_ne!(a.features, b.features, "{}", entry.name);
        assert!(a.features.iter().all(|x| x.is_finite()), "{}", entry.name);
        assert_eq!(a.features.len(), a.len() * a.dims);
    }
}

#[test]
fn every_class_gets_its_share() {
    let cases = [
        ("spirals:n=301,classes=3", vec![101, 100, 100]),
        ("moons:n=7", vec![3, 4]),
        ("circles:n=9", vec![4, 5]),
        ("xor:n=9", vec![5, 4]),
        ("gauss:n=10,classes=4", vec![3, 3, 2, 2]),
        ("spirals:n=2", vec![1, 1]),
        ("gauss:n=5,classes=5,dims=1", vec![1; 5]),
    ];
    for (spec, expected) in cases {
        assert_eq!(counts(&table(spec)), expected, "{spec}");
    }
    // Shuffled: the classes are mixed in file order, not in blocks.
    let m = table("moons:n=100");
    let (l, _) = labels(&m);
    assert!(l[..50].contains(&0) && l[..50].contains(&1));
}

#[test]
fn the_shapes_have_their_geometry() {
    let m = table("moons:n=101,noise=0");
    let inside = |p: &&[f64], x: (f64, f64), y: (f64, f64)| {
        (x.0 - 1e-12..=x.1 + 1e-12).contains(&p[0]) && (y.0 - 1e-12..=y.1 + 1e-12).contains(&p[1])
    };
    assert!(
        class(&m, 0)
            .iter()
            .all(|p| inside(p, (-1.0, 1.0), (0.0, 1.0)))
    );
    assert!(
        class(&m, 1)
            .iter()
            .all(|p| inside(p, (0.0, 2.0), (-0.5, 0.5)))
    );
    assert!(
        class(&m, 0).iter().any(|p| p[0] == -1.0),
        "the ends are included"
    );
    let radius = |p: &&[f64]| p[0].hypot(p[1]);
    let c = table("circles:n=200,noise=0,factor=0.3");
    assert!(class(&c, 0).iter().all(|p| (radius(p) - 1.0).abs() < 1e-12));
    assert!(class(&c, 1).iter().all(|p| (radius(p) - 0.3).abs() < 1e-12));
    let x = table("xor:n=500,noise=0");
    let (l, _) = labels(&x);
    for (i, &label) in l.iter().enumerate() {
        let (p, q) = (x.row(i)[0], x.row(i)[1]);
        assert!(p.abs() <= 1.0 && q.abs() <= 1.0 && p * q != 0.0);
        assert_eq!(label, usize::from(p * q > 0.0), "{p}, {q}");
    }
    let s = table("spirals:n=300,noise=0,classes=3");
    assert!((0..s.len()).all(|i| radius(&s.row(i)) < 1.0));
    assert!(
        class(&s, 2).iter().any(|p| p == &[0.0, 0.0]),
        "each arm starts at 0"
    );
}

#[test]
fn gauss_blobs_sit_around_their_centres() {
    let g = table("gauss:n=3000,classes=3,dims=5,spread=0.5");
    assert_eq!((g.dims, g.len(), g.outputs()), (5, 3000, 3));
    for c in 0..3 {
        let points = class(&g, c);
        let mean: Vec<f64> = (0..5)
            .map(|j| points.iter().map(|p| p[j]).sum::<f64>() / points.len() as f64)
            .collect();
        assert!(mean.iter().all(|m| m.abs() <= 10.1), "{mean:?}");
        let var =
            points.iter().map(|p| (p[0] - mean[0]).powi(2)).sum::<f64>() / points.len() as f64;
        assert!((var.sqrt() - 0.5).abs() < 0.05, "{}", var.sqrt());
    }
    let d1 = table("gauss:dims=1,n=7");
    assert_eq!((d1.dims, d1.features.len()), (1, 7));
}

#[test]
fn bad_parameters_are_refused_in_one_line() {
    let e = |s: &str| Table::parse(s).unwrap_err().0;
    assert_eq!(
        e("spirals:n=2,classes=3"),
        "spirals: n must be at least the number of classes (3) so that every class has a \
         point, got n=2"
    );
    assert!(e("moons:n=1").contains("n must be at least the number of classes (2)"));
    assert!(e("gauss:classes=1").contains("classes must be a whole number in 2 ..= 1000"));
    assert!(e("xor:n=100001").contains("n must be a whole number in 1 ..= 100000"));
    assert!(e("gauss:dims=1001").contains("dims must be a whole number in 1 ..= 1000"));
    assert_eq!(
        e("gauss:n=100000,dims=41"),
        "gauss: n·dims must be at most 4000000 numbers, got n=100000 with dims=41"
    );
    assert!(e("circles:factor=1").contains("factor must be in [0, 1)"));
    assert!(e("moons:noise=-1").contains("noise must be ≥ 0"));
}

#[test]
fn every_parameter_has_a_default_and_a_doc() {
    let names: Vec<&str> = TABLES.iter().map(|e| e.name).collect();
    assert_eq!(names, ["spirals", "moons", "circles", "xor", "gauss"]);
    for entry in TABLES {
        assert!(!entry.doc.is_empty());
        assert!(entry.params.iter().any(|p| p.name == "seed"));
        for p in entry.params {
            assert_ne!(p.default_text(), "required", "{}.{}", entry.name, p.name);
            assert!(!p.doc.is_empty());
        }
    }
}
