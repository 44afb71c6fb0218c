//! `generic` replayed against kubectl's recorded output (testdata/generic, see its README).
//! Runs without kubectl: every case must give kubectl's exact stdout and success or failure.

use std::fs;

use crate::util::{run_pachsecret, show, show_args, testdata, with_flag};

fn decode_arg(value: &serde_json::Value) -> Vec<u8> {
    match value {
        serde_json::Value::String(s) => s.as_bytes().to_vec(),
        serde_json::Value::Object(o) => {
            let hex = o["hex"].as_str().expect("hex argument");
            (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex digit"))
                .collect()
        }
        other => panic!("unexpected argument {other}"),
    }
}

#[test]
fn kubectl_generic_recorded_goldens() {
    replay("golden", None);
}

/// The same cases recorded from kubectl 1.37, which omits `"creationTimestamp": null`.
#[test]
fn kubectl_1_34_shape_recorded_goldens() {
    replay("golden-newer", Some("--kubectl-compat=1.37"));
}

fn replay(golden: &str, compat: Option<&str>) {
    let dir = testdata().join("generic");
    let files = dir.join("files");
    // git cannot hold an empty directory; kubectl's "empty directory gives no data" case needs one.
    fs::create_dir_all(files.join("emptydir")).unwrap();
    let mut cases: Vec<_> = fs::read_dir(dir.join("golden"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 70,
        "goldens missing: run testdata/generic/regen.py"
    );
    for case in &cases {
        let record: serde_json::Value = serde_json::from_slice(&fs::read(case).unwrap()).unwrap();
        let mut args = vec![b"generic".to_vec()];
        args.extend(record["args"].as_array().unwrap().iter().map(decode_arg));
        let env: Vec<(String, String)> = record["env"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
            .collect();
        let env: Vec<(&str, &[u8])> = env
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_bytes()))
            .collect();
        let name = case.file_stem().unwrap().to_string_lossy().into_owned();
        let expected = fs::read(dir.join(golden).join(format!("{name}.stdout"))).unwrap();
        let kubectl_ok = match compat {
            None => record["kubectl_exit"] == 0,
            Some(_) => {
                fs::read_to_string(dir.join(golden).join(format!("{name}.exit")))
                    .unwrap()
                    .trim()
                    == "0"
            }
        };
        let mut args_run = with_flag(&args, "--validate=false");
        if let Some(flag) = compat {
            args_run = with_flag(&args_run, flag);
        }
        let ours = run_pachsecret(&args_run, &files, &env);
        let context = format!(
            "case {name}: {}\nkubectl stderr: {}\npachsecret {:?} stderr: {}",
            show_args(&args),
            record["kubectl_stderr"],
            ours.status.code(),
            show(&ours.stderr)
        );
        assert_eq!(ours.status.success(), kubectl_ok, "{context}");
        assert_eq!(show(&ours.stdout), show(&expected), "{context}");
        assert_eq!(ours.stdout, expected, "{context}");
        if !kubectl_ok {
            assert!(ours.stderr.starts_with(b"error: "), "{context}");
        }
    }
}
