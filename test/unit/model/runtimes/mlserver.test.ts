import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planFor, tempFolders } from '../../../support/runtime-plans.ts';
import { sklearnFolder } from '../../../support/model-files.ts';

const temp = tempFolders();
const plan = planFor;

describe('mlserver', () => {
  it('mlserver: model-settings.json generated from the file type, or refused when unknown', async () => {
    const p = await plan('mlserver', sklearnFolder(temp()));
    const settings = JSON.parse(p.generated[0]!.content.toString());
    expect(p.generated[0]!.imagePath).toBe('/mnt/models/m/model-settings.json');
    expect(settings).toEqual({
      name: 'm',
      implementation: 'mlserver_sklearn.SKLearnModel',
      parameters: { uri: './model.joblib', version: '2' },
    });
    const unknown = temp();
    writeFileSync(join(unknown, 'weights.xyz'), 'x');
    await expect(plan('mlserver', unknown)).rejects.toThrow(
      'no model-settings.json, and no file MLServer knows how to load',
    );
    const given = temp();
    writeFileSync(join(given, 'model-settings.json'), '{not json');
    await expect(plan('mlserver', given)).rejects.toThrow(
      'has a model-settings.json that is not JSON',
    );
  });

  it('mlserver: a .bst is LightGBM when it holds LightGBM text, XGBoost otherwise', async () => {
    const settingsOf = async (file: string, content: string | Buffer) => {
      const dir = temp();
      writeFileSync(join(dir, file), content);
      const p = await plan('mlserver', dir);
      return JSON.parse(p.generated[0]!.content.toString()) as {
        implementation: string;
        parameters: { uri: string };
      };
    };
    // How LightGBM's Booster.save_model starts its text format, whatever the file's name.
    const lightgbm = 'tree\nversion=v4\nnum_class=1\nnum_tree_per_iteration=1\nlabel_index=0\n';
    expect(await settingsOf('model.bst', lightgbm)).toMatchObject({
      implementation: 'mlserver_lightgbm.LightGBMModel',
      parameters: { uri: './model.bst' },
    });
    expect((await settingsOf('model.txt', lightgbm)).implementation).toBe(
      'mlserver_lightgbm.LightGBMModel',
    );
    // XGBoost's binary and UBJSON models.
    expect(
      (await settingsOf('model.bst', Buffer.from([0, 0, 0, 63, 1, 0, 0, 0]))).implementation,
    ).toBe('mlserver_xgboost.XGBoostModel');
    expect((await settingsOf('model.ubj', Buffer.from('{L\x00\x00\x00'))).implementation).toBe(
      'mlserver_xgboost.XGBoostModel',
    );
    // A text file that is not a LightGBM model is not taken for one.
    await expect(settingsOf('notes.txt', 'hello\n')).rejects.toThrow(
      'no model-settings.json, and no file MLServer knows how to load',
    );
  });
});
