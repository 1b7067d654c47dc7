import numpy as np
import torch

import normalization as nz

rng = np.random.default_rng(0)


def _x(shape=(4, 6, 5, 5)):
    return rng.normal(2.0, 3.0, size=shape)


def test_batch_norm_matches_torch_train_and_eval():
    x = _x()
    c = x.shape[1]
    ref = torch.nn.BatchNorm2d(c).double()
    ours = nz.BatchNorm2dNumpy(c)
    for _ in range(3):
        xb = _x()
        y_ref = ref(torch.from_numpy(xb)).detach().numpy()
        np.testing.assert_allclose(ours(xb), y_ref, atol=1e-10)
    np.testing.assert_allclose(ours.running_mean, ref.running_mean.numpy(), atol=1e-12)
    np.testing.assert_allclose(ours.running_var, ref.running_var.numpy(), atol=1e-12)
    ref.eval()
    ours.training = False
    np.testing.assert_allclose(ours(x), ref(torch.from_numpy(x)).detach().numpy(), atol=1e-10)
    g = np.ones(c)
    b = np.zeros(c)
    np.testing.assert_allclose(
        nz.batch_norm_train(x, g, b),
        torch.nn.functional.batch_norm(torch.from_numpy(x), None, None, training=True).numpy(),
        atol=1e-10,
    )


def test_layer_norm_matches_torch():
    x = _x()
    ref = torch.nn.LayerNorm(x.shape[1:]).double()
    with torch.no_grad():
        ref.weight.normal_()
        ref.bias.normal_()
    y = nz.layer_norm_chw(x, ref.weight.detach().numpy(), ref.bias.detach().numpy())
    np.testing.assert_allclose(y, ref(torch.from_numpy(x)).detach().numpy(), atol=1e-10)


def test_layer_norm_nlp_and_rms_norm_match_torch():
    x = _x((2, 7, 16))
    ln = torch.nn.LayerNorm(16).double()
    with torch.no_grad():
        ln.weight.normal_()
        ln.bias.normal_()
    y = nz.layer_norm_nlp(x, ln.weight.detach().numpy(), ln.bias.detach().numpy())
    np.testing.assert_allclose(y, ln(torch.from_numpy(x)).detach().numpy(), atol=1e-10)
    rms = torch.nn.RMSNorm(16, eps=1e-6).double()
    with torch.no_grad():
        rms.weight.normal_()
    y = nz.rms_norm(x, rms.weight.detach().numpy())
    np.testing.assert_allclose(y, rms(torch.from_numpy(x)).detach().numpy(), atol=1e-10)


def test_instance_and_group_norm_match_torch():
    x = _x()
    c = x.shape[1]
    inn = torch.nn.InstanceNorm2d(c, affine=True).double()
    gn = torch.nn.GroupNorm(3, c).double()
    with torch.no_grad():
        for m in (inn, gn):
            m.weight.normal_()
            m.bias.normal_()
    y = nz.instance_norm(x, inn.weight.detach().numpy(), inn.bias.detach().numpy())
    np.testing.assert_allclose(y, inn(torch.from_numpy(x)).detach().numpy(), atol=1e-10)
    y = nz.group_norm(x, 3, gn.weight.detach().numpy(), gn.bias.detach().numpy())
    np.testing.assert_allclose(y, gn(torch.from_numpy(x)).detach().numpy(), atol=1e-10)


def test_group_norm_limits():
    x = _x()
    c = x.shape[1]
    one, zero = np.ones(c), np.zeros(c)
    np.testing.assert_allclose(
        nz.group_norm(x, 1, one, zero), nz.layer_norm_chw(x, np.ones(x.shape[1:]), np.zeros(x.shape[1:])), atol=1e-10
    )
    np.testing.assert_allclose(nz.group_norm(x, c, one, zero), nz.instance_norm(x, one, zero), atol=1e-10)


def test_switchable_norm_reduces_to_each_method():
    x = _x()
    c = x.shape[1]
    one, zero = np.ones(c), np.zeros(c)
    big = 50.0
    cases = {
        0: nz.instance_norm(x, one, zero),
        1: nz.layer_norm_chw(x, np.ones(x.shape[1:]), np.zeros(x.shape[1:])),
        2: nz.batch_norm_train(x, one, zero),
    }
    for k, expected in cases.items():
        logits = np.zeros(3)
        logits[k] = big
        y = nz.switchable_norm(x, one, zero, logits, logits)
        np.testing.assert_allclose(y, expected, atol=1e-8)


def test_batch_norm_nlp_depends_on_padding_but_layer_norm_does_not():
    x = _x((3, 5, 8))
    g, b = np.ones(8), np.zeros(8)
    mask = np.ones((3, 5), bool)
    mask[0, 3:] = False
    y1 = nz.batch_norm_nlp(x, g, b, mask)
    x2 = x.copy()
    x2[1:] = _x((2, 5, 8))  # change the other samples
    y2 = nz.batch_norm_nlp(x2, g, b, mask)
    assert not np.allclose(y1[0], y2[0])
    np.testing.assert_allclose(nz.layer_norm_nlp(x, g, b)[0], nz.layer_norm_nlp(x2, g, b)[0])
