import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { DEPARTMENT_KINDS } from '../../domain/roles';
import { translateStoreErrors } from '../storeErrors';

export const departmentKinds = DEPARTMENT_KINDS;

const departmentSchema = new Schema(
  {
    code: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    kind: { type: String, enum: departmentKinds, required: true },
    region: { type: String, default: '' },
    contact: { type: String, default: '' },
  },
  { timestamps: true, strict: 'throw' },
);

translateStoreErrors(departmentSchema);

export type DepartmentDoc = InferSchemaType<typeof departmentSchema>;
export type DepartmentModel = Model<DepartmentDoc>;

export function departmentModel(connection: Connection): DepartmentModel {
  return (connection.models.Department as DepartmentModel | undefined) ?? connection.model('Department', departmentSchema);
}
