//! SM4 throughput on a 64 KiB message: the raw ECB encryption (what `openssl speed -evp
//! sm4-ecb` measures, see `openssl-sm4.sh` next to this file), and the two complete schemes
//! including padding, the MAC and the text encoding.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ecb::cipher::block_padding::NoPadding;
use ecb::cipher::{BlockModeEncrypt, KeyInit};
use yichuang_hub::CryptoConfig;

const SIZE: usize = 64 * 1024;
const SIGN: &str = "0123456789abcdeffedcba9876543210";

fn bench_sm4(c: &mut Criterion) {
    let data: Vec<u8> = (0..SIZE).map(|i| (i % 251) as u8).collect();
    let key = [0x01u8; 16];

    let mut g = c.benchmark_group("sm4_64KiB");
    g.throughput(Throughput::Bytes(SIZE as u64));
    g.bench_function("ecb_raw", |b| {
        b.iter(|| {
            ecb::Encryptor::<sm4::Sm4>::new(&key.into())
                .encrypt_padded_vec::<NoPadding>(black_box(&data))
        })
    });
    let default = CryptoConfig::seed_default();
    g.bench_function("default_scheme_ecb_pkcs7_base64", |b| {
        b.iter(|| default.encrypt(black_box(&data), SIGN).expect("encrypt"))
    });
    let hardened = CryptoConfig::hardened([0x5a; 16]);
    g.bench_function("hardened_scheme_cbc_hmac_sm3_base64", |b| {
        b.iter(|| hardened.encrypt(black_box(&data), SIGN).expect("encrypt"))
    });
    let ct = default.encrypt(&data, SIGN).expect("encrypt");
    g.bench_function("default_scheme_decrypt", |b| {
        b.iter(|| default.decrypt(black_box(&ct), SIGN).expect("decrypt"))
    });
    g.finish();
}

criterion_group!(benches, bench_sm4);
criterion_main!(benches);
